import type { FloatArray } from './types';
// Elementwise losses (reduction 'none') and their gradients times scale * dy[i * dyStep], in float64.

function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** The elementwise losses, each with a kernel `name` and `${name}Backward`. */
export type LossName = 'bce' | 'bceWithLogits' | 'mse';

export function bce(n: number, p: FloatArray, t: FloatArray, out: FloatArray): void {
  for (let i = 0; i < n; i++) {
    out[i] = -(t[i]! * Math.max(Math.log(p[i]!), -100) + (1 - t[i]!) * Math.max(Math.log(1 - p[i]!), -100));
  }
}

export function bceBackward(n: number, p: FloatArray, t: FloatArray, dy: FloatArray, dyStep: number, scale: number, dx: FloatArray): void {
  for (let i = 0; i < n; i++) dx[i] = (scale * dy[i * dyStep]! * (p[i]! - t[i]!)) / Math.max((1 - p[i]!) * p[i]!, 1e-12);
}

export function bceWithLogits(n: number, x: FloatArray, t: FloatArray, out: FloatArray): void {
  for (let i = 0; i < n; i++) out[i] = Math.max(x[i]!, 0) - x[i]! * t[i]! + Math.log1p(Math.exp(-Math.abs(x[i]!)));
}

export function bceWithLogitsBackward(n: number, x: FloatArray, t: FloatArray, dy: FloatArray, dyStep: number, scale: number, dx: FloatArray): void {
  for (let i = 0; i < n; i++) dx[i] = scale * dy[i * dyStep]! * (sigmoid(x[i]!) - t[i]!);
}

export function mse(n: number, x: FloatArray, t: FloatArray, out: FloatArray): void {
  for (let i = 0; i < n; i++) out[i] = (x[i]! - t[i]!) ** 2;
}

export function mseBackward(n: number, x: FloatArray, t: FloatArray, dy: FloatArray, dyStep: number, scale: number, dx: FloatArray): void {
  for (let i = 0; i < n; i++) dx[i] = scale * dy[i * dyStep]! * 2 * (x[i]! - t[i]!);
}

function logSumExp(row: FloatArray): number {
  const m = Math.max(...row);
  let s = 0;
  for (const v of row) s += Math.exp(v - m);
  return m + Math.log(s);
}

/** Returns -1, or the first row whose label is out of range. */
export function crossEntropy(n: number, c: number, x: FloatArray, labels: Int32Array, ignoreIndex: number, out: FloatArray): number {
  for (let i = 0; i < n; i++) {
    const label = labels[i]!;
    if (label === ignoreIndex) {
      out[i] = 0;
      continue;
    }
    if (label < 0 || label >= c) return i;
    const row = x.subarray(i * c, (i + 1) * c);
    out[i] = logSumExp(row) - row[label]!;
  }
  return -1;
}

export function crossEntropyBackward(
  n: number, c: number, x: FloatArray, labels: Int32Array, ignoreIndex: number,
  dy: FloatArray, dyStep: number, scale: number, dx: FloatArray,
): void {
  for (let i = 0; i < n; i++) {
    const row = x.subarray(i * c, (i + 1) * c);
    const g = labels[i] === ignoreIndex ? 0 : scale * dy[i * dyStep]!;
    const lse = logSumExp(row);
    for (let j = 0; j < c; j++) dx[i * c + j] = g * (Math.exp(row[j]! - lse) - (j === labels[i] ? 1 : 0));
  }
}
