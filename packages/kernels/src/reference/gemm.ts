import type { FloatArray } from './types';
/**
 * Reference sgemm: C = alpha * op(A) * op(B) + beta * C, row-major, accumulated in float64.
 * The definition the WASM GEMM is tested against.
 */
export function gemm(
  transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number,
  a: FloatArray, lda: number, b: FloatArray, ldb: number, beta: number, c: FloatArray, ldc: number,
): void {
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let sum = 0;
      for (let k = 0; k < K; k++) {
        const av = transA ? a[k * lda + i]! : a[i * lda + k]!;
        const bv = transB ? b[j * ldb + k]! : b[k * ldb + j]!;
        sum += av * bv;
      }
      const at = i * ldc + j;
      c[at] = beta === 0 ? alpha * sum : alpha * sum + beta * c[at]!;
    }
  }
}

/**
 * The indirect GEMM: C = alpha * A * op(B) + beta * C with A[i][k] = base[rowOffsets[i] + colOffsets[k]]
 * (a convolution's windows read in place from its padded input).
 */
export function gemmIndirect(
  M: number, N: number, K: number, alpha: number, base: FloatArray, rowOffsets: ArrayLike<number>, colOffsets: ArrayLike<number>,
  transB: boolean, b: FloatArray, ldb: number, beta: number, c: FloatArray, ldc: number,
): void {
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let sum = 0;
      for (let k = 0; k < K; k++) sum += base[rowOffsets[i]! + colOffsets[k]!]! * (transB ? b[j * ldb + k]! : b[k * ldb + j]!);
      const at = i * ldc + j;
      c[at] = beta === 0 ? alpha * sum : alpha * sum + beta * c[at]!;
    }
  }
}
