// The module's exports: every kernel family in its own file.
export { heapBase } from './simd';
export { packB, packedBSize, gemmPacked, gemmSmallM } from './gemm';
export * from './binary';
export * from './unary';
export { prelu, preluBackward } from './prelu';
export { reduce, argmax, firstOutside, softmax, softmaxBackward } from './reduce';
export { bce, bceBackward, bceWithLogits, bceWithLogitsBackward, mse, mseBackward, crossEntropy, crossEntropyBackward } from './losses';
export { sgd, adagrad, adadelta, rmsprop, adam, adamax, nadam } from './optim';
export { randomUniform, randomNormal, philoxBlock } from './random';
export { copy, copyStrided } from './copy';
export { transpose } from './transpose';
