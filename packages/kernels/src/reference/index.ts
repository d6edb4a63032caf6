// Plain TypeScript definitions of every kernel: what the WASM kernels are tested against.
export { gemm } from './gemm';
