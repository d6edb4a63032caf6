// The module's exports: every kernel family in its own file.
export { heapBase } from './simd';
export { packB, packedBSize, gemmPacked, gemmBatched, gemmSmallM, gemmIndirect } from './gemm';
export * from './binary';
// The unary ops (unary/*.ts) are entry files of their own: scripts/build-wasm.mjs lists them.
export { prelu, preluBackward } from './prelu';
export { batchNormStats, batchNormBackwardStats, channelAffine, batchNormBackwardInput } from './batch-norm';
export { reduceSum, reduceMean, reduceMax, argmax, firstOutside, softmax, softmaxBackward } from './reduce';
export { bce, bceBackward, bceWithLogits, bceWithLogitsBackward, mse, mseBackward, crossEntropy, crossEntropyBackward } from './losses';
export { sgd, adagrad, adadelta, rmsprop, adam, adamax, nadam } from './optim';
export { randomUniform, randomNormal, philoxBlock } from './random';
export { copy, copyStrided } from './copy';
export { transpose } from './transpose';
export { im2col, col2im, col2imScratchFloats } from './im2col';
export { maxPool2d, maxPool2dBackward } from './pool';
export { depthwiseConv2d, depthwiseConv2dWeightGrad } from './depthwise';
export { conv2dDirect, conv2dDirectWeightGrad } from './conv-direct';
