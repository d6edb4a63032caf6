import type { FloatArray } from './types';
/** PReLU over x viewed as [outer, channels, inner]: y = x for x > 0, alpha[c] x otherwise. */
export function prelu(outer: number, channels: number, inner: number, x: FloatArray, alpha: FloatArray, y: FloatArray): void {
  for (let i = 0; i < outer * channels * inner; i++) {
    const c = Math.floor(i / inner) % channels;
    y[i] = x[i]! > 0 ? x[i]! : alpha[c]! * x[i]!;
  }
}

/** dx = dy (x > 0) or alpha[c] dy; dalpha[c] = sum over x <= 0 of dy x. */
export function preluBackward(
  outer: number, channels: number, inner: number,
  x: FloatArray, alpha: FloatArray, dy: FloatArray, dx: FloatArray, dalpha: FloatArray,
): void {
  dalpha.fill(0, 0, channels);
  for (let i = 0; i < outer * channels * inner; i++) {
    const c = Math.floor(i / inner) % channels;
    const positive = x[i]! > 0;
    dx[i] = positive ? dy[i]! : alpha[c]! * dy[i]!;
    if (!positive) dalpha[c] = dalpha[c]! + dy[i]! * x[i]!;
  }
}
