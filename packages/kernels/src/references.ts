// The TypeScript reference of every WASM kernel, by export name: what the kernel tests compare each kernel
// with, and what autograd's op table checks an op's kernels against. The type lists every export, so a
// kernel added to WasmExports without a reference does not compile; references.test.ts checks the module.
import * as reference from './reference/index';
import { unaryKernels, type UnaryOpName } from './reference/unary';
import type { WasmExports } from './wasm-exports';

/** Every WASM export that is a kernel (heapBase only reports where the heap starts). */
export type KernelName = Exclude<keyof WasmExports, 'heapBase'>;

type UnaryReferences = Record<UnaryOpName | `${UnaryOpName}Backward`, (...args: never[]) => unknown>;
const unary = {} as UnaryReferences;
for (const [name, op] of Object.entries(unaryKernels) as [UnaryOpName, (typeof unaryKernels)[UnaryOpName]][]) {
  unary[name] = op.forward;
  unary[`${name}Backward`] = op.backward;
}

export const kernelReferences: Readonly<Record<KernelName, (...args: never[]) => unknown>> = Object.freeze({
  ...reference.binaryOps,
  ...unary,
  // The GEMM's parts: B packed once, then the product (gemmSmallM for few rows); one definition covers them.
  packedBSize: reference.gemm, packB: reference.gemm, gemmPacked: reference.gemm, gemmBatched: reference.gemm, gemmSmallM: reference.gemm, gemmIndirect: reference.gemmIndirect,
  // col2im's scratch size belongs to col2im, as packedBSize to the GEMM.
  im2col: reference.im2col, col2im: reference.col2im, col2imScratchFloats: reference.col2im, maxPool2d: reference.maxPool2d, maxPool2dBackward: reference.maxPool2dBackward,
  depthwiseConv2d: reference.depthwiseConv2d, depthwiseConv2dWeightGrad: reference.depthwiseConv2dWeightGrad, conv2dDirect: reference.conv2dDirect,
  conv2dDirectWeightGrad: reference.conv2dDirectWeightGrad,
  transpose: reference.transpose, copy: reference.copy, copyStrided: reference.copyStrided,
  axpby: reference.axpby, fill: reference.fill,
  prelu: reference.prelu, preluBackward: reference.preluBackward,
  batchNormStats: reference.batchNormStats, batchNormBackwardStats: reference.batchNormBackwardStats,
  channelAffine: reference.channelAffine, batchNormBackwardInput: reference.batchNormBackwardInput,
  reduceSum: reference.reduce, reduceMean: reference.reduce, reduceMax: reference.reduce,
  argmax: reference.argmax, firstOutside: reference.firstOutside, softmax: reference.softmax, softmaxBackward: reference.softmaxBackward,
  bce: reference.bce, bceBackward: reference.bceBackward, bceWithLogits: reference.bceWithLogits, bceWithLogitsBackward: reference.bceWithLogitsBackward,
  mse: reference.mse, mseBackward: reference.mseBackward, crossEntropy: reference.crossEntropy, crossEntropyBackward: reference.crossEntropyBackward,
  sgd: reference.sgd, adagrad: reference.adagrad, adadelta: reference.adadelta, rmsprop: reference.rmsprop,
  adam: reference.adam, adamax: reference.adamax, nadam: reference.nadam,
  randomUniform: reference.randomUniform, randomNormal: reference.randomNormal, philoxBlock: reference.philox,
});
