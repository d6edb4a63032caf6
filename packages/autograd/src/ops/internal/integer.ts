// int32 arithmetic, exact, in TypeScript. The kernels compute in float32, which is exact for integers only up
// to 2^24; PyTorch keeps int32 op int32 in int32, wrapping on overflow as two's complement. Integer tensors
// are labels, indices and counts, small enough for a loop. None of this is differentiable.
import type { DType } from '../../dtype';
import { broadcastStrides, contiguousStrides, walk } from '../../layout';
import type { Shape } from '../../shape';
import { allocate, backendOf, type Tensor } from '../../tensor';

/** out = fn(a, b) elementwise with NumPy broadcasting (a number operand is broadcast as a 0-d tensor). */
export function elementwise(op: string, a: Tensor, b: Tensor | number, shape: Shape, dtype: DType, fn: (x: number, y: number) => number): Tensor {
  const backend = backendOf(op, typeof b === 'number' ? [a] : [a, b]);
  const x = a.values();
  const y = typeof b === 'number' ? [b] : b.values();
  const out = allocate(backend, shape, dtype);
  const result = dtype === 'int32' ? new Int32Array(out.size) : new Float32Array(out.size);
  // x and y hold the operands' values row-major; walk them broadcast over `shape`.
  const bShape = typeof b === 'number' ? [] : b.shape;
  const w = walk(shape, [broadcastStrides(a.shape, contiguousStrides(a.shape), shape), broadcastStrides(bShape, contiguousStrides(bShape), shape), contiguousStrides(shape)]);
  const [[aRow, bRow, outRow], [aCol, bCol]] = [w.rowStrides, w.colStrides];
  for (const [oa, ob, oo] of w.offsets) {
    for (let r = 0; r < w.rows; r++) {
      for (let c = 0; c < w.cols; c++) {
        result[oo! + r * outRow! + c] = fn(x[oa! + r * aRow! + c * aCol!]!, y[ob! + r * bRow! + c * bCol!]!);
      }
    }
  }
  if (result.length > 0) backend.write(out, result);
  return out;
}

/** y = fn(x) elementwise, as int32. */
export function map(op: string, x: Tensor, fn: (v: number) => number): Tensor {
  const backend = backendOf(op, [x]);
  const out = allocate(backend, x.shape, 'int32');
  if (x.size > 0) backend.write(out, Int32Array.from(x.values(), fn));
  return out;
}

/**
 * One int32 result per lane of x viewed as [outer, len, inner] (the `len` values at base + k * inner): sums,
 * maxima and argmaxes along an axis.
 */
export function lanes(op: string, x: Tensor, outer: number, len: number, inner: number, shape: Shape, lane: (values: ArrayLike<number>, base: number, stride: number, index: number) => number): Tensor {
  const backend = backendOf(op, [x]);
  const values = x.values();
  const result = new Int32Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) result[o * inner + i] = lane(values, o * len * inner + i, inner, o * inner + i);
  }
  const out = allocate(backend, shape, 'int32');
  if (result.length > 0) backend.write(out, result);
  return out;
}

/**
 * C = A B for `count` stacked int32 matrices A [M, K] and B [K, N] (row-major values), accumulating in int32 with
 * wraparound (PyTorch's CPU kernel).
 */
export function matmul(a: Tensor, b: Tensor, count: number, M: number, K: number, N: number, shape: Shape): Tensor {
  const backend = backendOf('matmul', [a, b]);
  const [x, y] = [a.values(), b.values()];
  const result = new Int32Array(count * M * N);
  for (let m = 0; m < count; m++) {
    const [xa, ya, ra] = [m * M * K, m * K * N, m * M * N];
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let acc = 0;
        for (let k = 0; k < K; k++) acc = (acc + Math.imul(x[xa + i * K + k]!, y[ya + k * N + j]!)) | 0;
        result[ra + i * N + j] = acc;
      }
    }
  }
  const out = allocate(backend, shape, 'int32');
  if (result.length > 0) backend.write(out, result);
  return out;
}

/** x^n for int32 x and a non-negative integer n, with int32 wraparound at every multiplication. */
export function intPow(x: number, n: number): number {
  let result = 1;
  let base = x | 0;
  for (let e = n; e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) result = Math.imul(result, base);
    base = Math.imul(base, base);
  }
  return result;
}
