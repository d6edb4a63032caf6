import type { BinaryOpName, LossName, ReduceOpName, UnaryOpName } from '@backprop/kernels';
import type { AnyUpdate, Depthwise, DirectConv, Window2d } from '@backprop/kernels';
import type { DType } from './dtype';

/** A block of tensor data owned by a backend, shared by the views of one tensor (refcounted). */
export interface Storage {
  readonly backend: Backend;
  readonly length: number;
  readonly dtype: DType;
  /** How many tensors use this storage and were not disposed; dispose() frees it when the count reaches 0. */
  refs: number;
  /** Bumped by every in-place change, so backward can refuse a saved tensor that changed (PyTorch's version counter). */
  version: number;
}

/**
 * What a kernel reads or writes: a storage and an element offset into it, elements row-major from there. Every
 * contiguous Tensor is one; a strided view is made contiguous (or walked with copyStrided) first.
 */
export interface View {
  readonly storage: Storage;
  readonly offset: number;
  /** False on a Tensor whose elements are not row-major: the backends refuse it where a View is expected. */
  readonly isContiguous?: boolean;
}

export type LossKind = LossName;


/**
 * The primitives every op is written in. Two implementations: 'wasm' (the float32 SIMD kernels, which run
 * everything) and 'reference' (float64 TypeScript, for gradcheck). Kernels are named as in @backprop/kernels.
 */
export interface Backend {
  readonly name: 'wasm' | 'reference';
  allocate(length: number, dtype: DType): Storage;
  free(storage: Storage): void;
  /** Called as an op starts, with its inputs: they are in use (a backend that caches data keeps them close). */
  use(inputs: readonly View[]): void;
  /** A copy of `length` elements. */
  read(v: View, length: number): Float32Array | Float64Array | Int32Array;
  write(v: View, data: ArrayLike<number>): void;
  copy(src: View, dst: View, length: number): void;
  /** dst[r * dstRow + c * dstCol] = src[r * srcRow + c * srcCol] for r < rows, c < cols (strides in elements). */
  copyStrided(rows: number, cols: number, src: View, srcRow: number, srcCol: number, dst: View, dstRow: number, dstCol: number): void;
  fill(v: View, length: number, value: number): void;
  binary(op: BinaryOpName, rows: number, cols: number, a: View, aRow: number, aCol: number, b: View, bRow: number, bCol: number, out: View): void;
  unary(op: UnaryOpName, n: number, x: View, y: View, p: number): void;
  unaryBackward(op: UnaryOpName, n: number, x: View | null, y: View | null, dy: View, dx: View, p: number): void;
  /** out = alpha a + beta b. */
  axpby(n: number, alpha: number, a: View, beta: number, b: View, out: View): void;
  gemm(transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number, a: View, lda: number, b: View, ldb: number, beta: number, c: View, ldc: number): void;
  /**
   * C = alpha A op(B) + beta C with A read through int32 offset tables: A[i][k] = base[rowOffsets[i] + colOffsets[k]]
   * (a convolution's windows over its input, in place). op(B) is K x N (B is N x K when transB).
   */
  gemmIndirect(
    M: number, N: number, K: number, alpha: number, base: View, rowOffsets: View, colOffsets: View,
    transB: boolean, b: View, ldb: number, beta: number, c: View, ldc: number,
  ): void;
  /** `count` GEMMs, the i-th on matrices i strideA, i strideB and i strideC elements further (strideB 0: one shared B). */
  gemmBatched(
    count: number, transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number,
    a: View, lda: number, strideA: number, b: View, ldb: number, strideB: number, beta: number, c: View, ldc: number, strideC: number,
  ): void;
  /** y[n] = x[n]^T for count matrices x [count, rows, cols] one after another. */
  transpose(count: number, rows: number, cols: number, x: View, y: View): void;
  /** The windows of x [images, channels, height, width] as columns [images, channels kh kw, outH outW], zero padding. */
  im2col(images: number, g: Window2d, x: View, cols: View): void;
  /** dx = the columns summed back into the images they came from (the gradient of im2col). */
  col2im(images: number, g: Window2d, cols: View, dx: View): void;
  /** y = the maximum of each window of x; indices (int32) = where in its plane each came from. */
  maxPool2d(images: number, g: Window2d, x: View, y: View, indices: View): void;
  /** dx = 0, then each dy added where its window's maximum came from. */
  maxPool2dBackward(planes: number, inputPlane: number, outputPlane: number, indices: View, dy: View, dx: View): void;
  /** y = the depthwise convolution of padded x [images, channels, hp, wp] with w [channels, kh, kw]. */
  depthwiseConv2d(d: Depthwise, x: View, w: View, y: View): void;
  /** dw [channels, kh, kw] of a depthwise convolution, from padded x and dy. */
  depthwiseConv2dWeightGrad(d: Depthwise, x: View, dy: View, dw: View): void;
  /** y = the stride-1 convolution of padded x [images, channels, hp, wp] with w [outChannels, channels, kh, kw], plus bias. */
  conv2dDirect(d: DirectConv, x: View, w: View, bias: View | null, y: View): void;
  /** dweight [outChannels, channels, kh, kw] of conv2dDirect's convolution, from padded x and dy. */
  conv2dDirectWeightGrad(d: DirectConv, x: View, dy: View, dweight: View): void;
  /** Per channel c of x viewed as [images, channels, inner]: the mean and the biased variance. */
  batchNormStats(images: number, channels: number, inner: number, x: View, mean: View, variance: View): void;
  /** Per channel: sumDy = the sum of dy, dot = the sum of (x - mean[c]) dy. */
  batchNormBackwardStats(images: number, channels: number, inner: number, x: View, dy: View, mean: View, sumDy: View, dot: View): void;
  /** y = x scale[c] + shift[c] over [images, channels, inner]. */
  channelAffine(images: number, channels: number, inner: number, x: View, scale: View, shift: View, y: View): void;
  /** Batch norm's dx: (dy - meanDy[c] - (x - mean[c]) k[c]) invstd[c] w[c] when training, dy invstd[c] w[c] otherwise. */
  batchNormBackwardInput(
    images: number, channels: number, inner: number, training: boolean,
    x: View, dy: View, mean: View, meanDy: View, k: View, invstd: View, w: View, dx: View,
  ): void;
  reduce(op: ReduceOpName, outer: number, len: number, inner: number, x: View, out: View): void;
  argmax(outer: number, len: number, inner: number, x: View, out: View): void;
  /** The first of n elements outside [lo, hi] (NaN counts as outside), or -1. */
  firstOutside(n: number, x: View, lo: number, hi: number): number;
  softmax(outer: number, len: number, inner: number, log: boolean, x: View, y: View): void;
  softmaxBackward(outer: number, len: number, inner: number, log: boolean, y: View, dy: View, dx: View): void;
  prelu(outer: number, channels: number, inner: number, x: View, alpha: View, y: View): void;
  preluBackward(outer: number, channels: number, inner: number, x: View, alpha: View, dy: View, dx: View, dalpha: View): void;
  loss(kind: LossKind, n: number, x: View, t: View, out: View): void;
  lossBackward(kind: LossKind, n: number, x: View, t: View, dy: View, dyStep: number, scale: number, dx: View): void;
  /** Returns -1, or the first row whose label is out of [0, c). */
  crossEntropy(n: number, c: number, x: View, labels: View, ignoreIndex: number, out: View): number;
  crossEntropyBackward(n: number, c: number, x: View, labels: View, ignoreIndex: number, dy: View, dyStep: number, scale: number, dx: View): void;
  /** One fused optimiser update over n elements of each named buffer (param, grad, state...), in place. */
  update(update: AnyUpdate, n: number, buffers: Readonly<Record<string, View>>, coefficients: object): void;
  /** Philox fills: uniform in [a, b) or normal with mean a and standard deviation b. */
  random(kind: 'uniform' | 'normal', n: number, seed: bigint, offset: bigint, a: number, b: number, out: View): void;
}
