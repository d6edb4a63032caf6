// Plain TypeScript definitions of every kernel: what the WASM kernels are tested against.
export { gemm } from './gemm';
export { applyBinary, binary, axpby } from './binary';
export { applyUnary, applyUnaryBackward, unary, unaryBackward } from './unary';
export { prelu, preluBackward } from './prelu';
