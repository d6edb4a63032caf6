// @backprop/autograd: tensors in kernel memory and reverse-mode autodiff with PyTorch semantics.
export { Tensor, type NestedArray, type RecordOptions } from './tensor';
export type { Node, BackwardFn } from './node';
export type { DType } from './dtype';
export { formatShape, type Shape } from './shape';
export { tensor, zeros, ones, full, rand, randn, arange, eye, type TensorOptions, type TensorData } from './creation';
export { manualSeed, getRngState, setRngState, seededRandom, permutation } from './random';
export { clipGradNorm, clipGradValue } from './clip';
export { noGrad, setAnomalyMode, detectAnomaly, withBackend, wasmBackend, referenceBackend, ready, simdLevel } from './context';
export { scope } from './lifetime';
export { memory, resetHighWater, type MemoryReport } from './memory';
export { firstOutside, FLOAT32_MAX } from './inspect';
export type { BackwardOptions } from './backward';
export { gradcheck, type GradcheckOptions, type GradcheckResult } from './gradcheck';
export { exportGraph, toDot, named, type GraphJSON, type GraphNode } from './graph';
export { ShapeError, DTypeError, ReleasedTensorError, AnomalyError, describeValue } from './errors';
export { checkOptions } from './options';
export { pairOption, paddingOption, samePadding } from './ops/internal/window';
export type { Backend, Storage, View, LossKind } from './backend';
export { fusedUpdate } from './update';
export { updates, type Update, type AnyUpdate, type BuffersOf, type CoefficientsOf } from '@backprop/kernels';
// Every op, from the op files (src/ops/, one file per op or family of ops), and the table of them.
export * from './generated/ops';
export { opTable, type OpName } from './op-table';
export { defineOp, isOp, type Op, type OpInfo, type Gradient } from './op';
