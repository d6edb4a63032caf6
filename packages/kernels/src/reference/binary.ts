import type { FloatArray } from './types';

/** The binary kernels by name (each a WASM export of that name), as they define each op: maximum and minimum
 * propagate NaN, comparisons give 1 or 0; rounding happens on store. */
export const binaryOps = {
  add: (x: number, y: number): number => x + y,
  sub: (x: number, y: number): number => x - y,
  mul: (x: number, y: number): number => x * y,
  div: (x: number, y: number): number => x / y,
  maximum: (x: number, y: number): number => (Number.isNaN(x) || Number.isNaN(y) ? Number.NaN : Math.max(x, y)),
  minimum: (x: number, y: number): number => (Number.isNaN(x) || Number.isNaN(y) ? Number.NaN : Math.min(x, y)),
  eq: (x: number, y: number): number => (x === y ? 1 : 0),
  ne: (x: number, y: number): number => (x !== y ? 1 : 0),
  lt: (x: number, y: number): number => (x < y ? 1 : 0),
  le: (x: number, y: number): number => (x <= y ? 1 : 0),
  gt: (x: number, y: number): number => (x > y ? 1 : 0),
  ge: (x: number, y: number): number => (x >= y ? 1 : 0),
};

export type BinaryOpName = keyof typeof binaryOps;

/** out[r, c] = a[r*aRow + c*aCol] op b[r*bRow + c*bCol] (strides >= 0). Offsets index the arrays. */
export function binary(
  op: BinaryOpName, rows: number, cols: number,
  a: FloatArray, aRow: number, aCol: number, b: FloatArray, bRow: number, bCol: number, out: FloatArray,
): void {
  const apply = binaryOps[op];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      out[r * cols + c] = apply( a[r * aRow + c * aCol]!, b[r * bRow + c * bCol]!);
    }
  }
}

export function axpby(n: number, alpha: number, a: FloatArray, beta: number, b: FloatArray, out: FloatArray): void {
  // The kernel rounds each product before the sum; so does this in float32 (a float64 out keeps float64).
  const round = out instanceof Float32Array ? Math.fround : (v: number): number => v;
  for (let i = 0; i < n; i++) out[i] = round(a[i]! * alpha) + round(b[i]! * beta);
}

export function fill(n: number, value: number, out: FloatArray): void {
  out.fill(value, 0, n);
}
