// Plain TypeScript definitions of every kernel: what the WASM kernels are tested against.
export { gemm, gemmIndirect } from './gemm';
export { binaryOps, binary, axpby, fill, type BinaryOpName } from './binary';
export { unaryKernels, unary, unaryBackward, type UnaryReference, type UnaryOpName } from './unary';
export { prelu, preluBackward } from './prelu';
export { batchNormStats, batchNormBackwardStats, channelAffine, batchNormBackwardInput } from './batch-norm';
export { reduce, type ReduceOpName, argmax, firstOutside, softmax, softmaxBackward } from './reduce';
export { bce, bceBackward, bceWithLogits, bceWithLogitsBackward, mse, mseBackward, crossEntropy, crossEntropyBackward } from './losses';
export {
  sgd, adagrad, adadelta, rmsprop, adam, adamax, nadam, type Buffers, type SgdCoefficients, type AdagradCoefficients,
  type AdadeltaCoefficients, type RmspropCoefficients, type AdamCoefficients, type AdamaxCoefficients, type NadamCoefficients,
} from './optim';
export { philox, randomUniform, randomNormal } from './random';
export type { FloatArray } from './types';
export { transpose, copyStrided, copy } from './transpose';
export { maxPool2d, maxPool2dBackward } from './pool';
export { depthwiseConv2d, depthwiseConv2dWeightGrad, type Depthwise } from './depthwise';
export { conv2dDirect, conv2dDirectWeightGrad, type DirectConv } from './conv-direct';
export { im2col, col2im, windowOutput, type Window2d } from './im2col';
