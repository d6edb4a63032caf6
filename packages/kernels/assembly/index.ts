// The module's exports: every kernel family in its own file.
export { heapBase } from './simd';
export { packB, packedBSize, gemmPacked } from './gemm';
export { binary, axpby, fill } from './binary';
export { unary, unaryBackward } from './unary';
export { prelu, preluBackward } from './prelu';
