export { Kernels } from './kernels';
export { KernelOutOfMemoryError, KernelUnavailableError } from './errors';
export { Heap, sizeClass, type HeapStats, type GrowableMemory } from './heap';
export type { SimdLevel } from './loader';
export type { WasmExports } from './wasm-exports';
export { kernels, ready, simdLevel, createKernels } from './default';
export * as reference from './reference/index';
export * as ops from './opcodes';
export { updates, type Update, type AnyUpdate, type UpdateKernel, type BuffersOf, type CoefficientsOf } from './updates';
