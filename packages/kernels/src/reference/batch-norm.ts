// Batch normalisation over x viewed as [images, channels, inner], channels [c0, c1), one element at a time
// (the reference of assembly/batch-norm.ts).
import type { FloatArray } from './types';

/** Calls visit(i, c) for every element i of channels [c0, c1). */
function eachElement(images: number, channels: number, inner: number, c0: number, c1: number, visit: (i: number, c: number) => void): void {
  for (let image = 0; image < images; image++) {
    for (let c = c0; c < c1; c++) {
      for (let i = (image * channels + c) * inner, end = i + inner; i < end; i++) visit(i, c);
    }
  }
}

/** mean[c] and the biased variance[c] of each channel. */
export function batchNormStats(images: number, channels: number, inner: number, c0: number, c1: number, x: FloatArray, mean: FloatArray, variance: FloatArray): void {
  const n = images * inner;
  const sums = new Float64Array(channels);
  eachElement(images, channels, inner, c0, c1, (i, c) => (sums[c] = sums[c]! + x[i]!));
  for (let c = c0; c < c1; c++) mean[c] = sums[c]! / n;
  sums.fill(0);
  eachElement(images, channels, inner, c0, c1, (i, c) => (sums[c] = sums[c]! + (x[i]! - mean[c]!) ** 2));
  for (let c = c0; c < c1; c++) variance[c] = sums[c]! / n;
}

/** sumDy[c] = the sum of dy over channel c; dot[c] = the sum of (x - mean[c]) dy. */
export function batchNormBackwardStats(
  images: number, channels: number, inner: number, c0: number, c1: number, x: FloatArray, dy: FloatArray, mean: FloatArray, sumDy: FloatArray, dot: FloatArray,
): void {
  for (let c = c0; c < c1; c++) [sumDy[c], dot[c]] = [0, 0];
  eachElement(images, channels, inner, c0, c1, (i, c) => {
    sumDy[c] = sumDy[c]! + dy[i]!;
    dot[c] = dot[c]! + (x[i]! - mean[c]!) * dy[i]!;
  });
}

/** y = x scale[c] + shift[c]. */
export function channelAffine(images: number, channels: number, inner: number, c0: number, c1: number, x: FloatArray, scale: FloatArray, shift: FloatArray, y: FloatArray): void {
  eachElement(images, channels, inner, c0, c1, (i, c) => (y[i] = x[i]! * scale[c]! + shift[c]!));
}

/** Training: dx = (dy - meanDy[c] - (x - mean[c]) k[c]) invstd[c] w[c]; evaluation: dx = dy invstd[c] w[c]. */
export function batchNormBackwardInput(
  images: number, channels: number, inner: number, c0: number, c1: number, training: number,
  x: FloatArray, dy: FloatArray, mean: FloatArray, meanDy: FloatArray, k: FloatArray, invstd: FloatArray, w: FloatArray, dx: FloatArray,
): void {
  eachElement(images, channels, inner, c0, c1, (i, c) => {
    const g = training ? dy[i]! - meanDy[c]! - (x[i]! - mean[c]!) * k[c]! : dy[i]!;
    dx[i] = g * invstd[c]! * w[c]!;
  });
}
