// The module's exports: every kernel family in its own file.
export { heapBase } from './simd';
export { packB, packedBSize, gemmPacked } from './gemm';
