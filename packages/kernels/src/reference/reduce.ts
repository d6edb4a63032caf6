import type { FloatArray } from './types';

/** The reductions (the WASM exports reduceSum, reduceMean, reduceMax). */
export type ReduceOpName = 'sum' | 'mean' | 'max';

/** out[o, j] = sum / mean / max over k of x[o, k, j] (float64 accumulation; max propagates NaN). */
export function reduce(op: ReduceOpName, outer: number, len: number, inner: number, x: FloatArray, out: FloatArray): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      let acc = op === 'max' ? -Infinity : 0;
      for (let k = 0; k < len; k++) {
        const v = x[(o * len + k) * inner + j]!;
        acc = op === 'max' ? (Number.isNaN(v) || v > acc ? v : acc) : acc + v;
      }
      out[o * inner + j] = op === 'mean' ? acc / len : acc;
    }
  }
}

export function argmax(outer: number, len: number, inner: number, x: FloatArray, out: Int32Array): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      let at = 0;
      for (let k = 1; k < len; k++) {
        const best = x[(o * len + at) * inner + j]!;
        if (Number.isNaN(best)) break;
        const v = x[(o * len + k) * inner + j]!;
        if (v > best || Number.isNaN(v)) at = k;
      }
      out[o * inner + j] = at;
    }
  }
}

/** Softmax or log-softmax over the middle axis, in float64 with the maximum subtracted. */
export function softmax(outer: number, len: number, inner: number, log: boolean, x: FloatArray, y: FloatArray): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const at = (k: number): number => (o * len + k) * inner + j;
      let m = -Infinity;
      for (let k = 0; k < len; k++) m = Math.max(m, x[at(k)]!);
      let s = 0;
      for (let k = 0; k < len; k++) s += Math.exp(x[at(k)]! - m);
      for (let k = 0; k < len; k++) y[at(k)] = log ? x[at(k)]! - m - Math.log(s) : Math.exp(x[at(k)]! - m) / s;
    }
  }
}

export function softmaxBackward(
  outer: number, len: number, inner: number, log: boolean, y: FloatArray, dy: FloatArray, dx: FloatArray,
): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const at = (k: number): number => (o * len + k) * inner + j;
      let dot = 0;
      for (let k = 0; k < len; k++) dot += log ? dy[at(k)]! : dy[at(k)]! * y[at(k)]!;
      for (let k = 0; k < len; k++) dx[at(k)] = log ? dy[at(k)]! - Math.exp(y[at(k)]!) * dot : y[at(k)]! * (dy[at(k)]! - dot);
    }
  }
}

/** The first i with x[i] outside [lo, hi] (NaN counts as outside), or -1. */
export function firstOutside(n: number, x: FloatArray, lo: number, hi: number): number {
  for (let i = 0; i < n; i++) if (!(x[i]! >= lo && x[i]! <= hi)) return i;
  return -1;
}
