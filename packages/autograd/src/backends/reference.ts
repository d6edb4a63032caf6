import { reference, type AnyUpdate, type BinaryOpName, type ReduceOpName, type UnaryOpName, type Depthwise, type DirectConv, type Window2d } from '@backprop/kernels';
import type { Backend, LossKind, Storage, View } from '../backend';
import type { DType } from '../dtype';

interface ArrayStorage extends Storage {
  readonly array: Float64Array | Int32Array;
}

type Floats = Float64Array;

function arr(v: View): Float64Array | Int32Array {
  if (v.isContiguous === false) throw new Error('internal error: a kernel was handed a strided view (make it contiguous first)');
  return (v.storage as ArrayStorage).array.subarray(v.offset);
}
const f = (v: View): Floats => arr(v) as Floats;

const lossForward = { bce: reference.bce, bceWithLogits: reference.bceWithLogits, mse: reference.mse } as const;
const lossBackward = { bce: reference.bceBackward, bceWithLogits: reference.bceWithLogitsBackward, mse: reference.mseBackward } as const;

/**
 * The float64 backend: the kernels' TypeScript reference definitions on Float64Arrays. Slow and exact
 * enough for gradcheck's finite differences; never used for training.
 */
export class ReferenceBackend implements Backend {
  readonly name = 'reference';

  allocate(length: number, dtype: DType): Storage {
    const storage: ArrayStorage = { backend: this, length, dtype, refs: 0, version: 0, array: dtype === 'int32' ? new Int32Array(length) : new Float64Array(length) };
    return storage;
  }

  free(): void {}

  use(): void {}

  read(v: View, length: number): Float64Array | Int32Array {
    return arr(v).slice(0, length);
  }

  write(v: View, data: ArrayLike<number>): void {
    arr(v).set(data);
  }

  copy(src: View, dst: View, length: number): void {
    arr(dst).set(arr(src).subarray(0, length));
  }

  copyStrided(rows: number, cols: number, src: View, srcRow: number, srcCol: number, dst: View, dstRow: number, dstCol: number): void {
    reference.copyStrided(rows, cols, arr(src), srcRow, srcCol, arr(dst), dstRow, dstCol);
  }

  fill(v: View, length: number, value: number): void {
    arr(v).fill(value, 0, length);
  }

  binary(op: BinaryOpName, rows: number, cols: number, a: View, aRow: number, aCol: number, b: View, bRow: number, bCol: number, out: View): void {
    reference.binary(op, rows, cols, f(a), aRow, aCol, f(b), bRow, bCol, f(out));
  }

  unary(op: UnaryOpName, n: number, x: View, y: View, p: number): void {
    reference.unary(op, n, f(x), f(y), p);
  }

  unaryBackward(op: UnaryOpName, n: number, x: View | null, y: View | null, dy: View, dx: View, p: number): void {
    reference.unaryBackward(op, n, x ? f(x) : null, y ? f(y) : null, f(dy), f(dx), p);
  }

  axpby(n: number, alpha: number, a: View, beta: number, b: View, out: View): void {
    reference.axpby(n, alpha, f(a), beta, f(b), f(out));
  }

  gemm(transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number, a: View, lda: number, b: View, ldb: number, beta: number, c: View, ldc: number): void {
    reference.gemm(transA, transB, M, N, K, alpha, f(a), lda, f(b), ldb, beta, f(c), ldc);
  }

  gemmBatched(
    count: number, transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number,
    a: View, lda: number, strideA: number, b: View, ldb: number, strideB: number, beta: number, c: View, ldc: number, strideC: number,
  ): void {
    for (let i = 0; i < count; i++) {
      reference.gemm(transA, transB, M, N, K, alpha, f(a).subarray(i * strideA), lda, f(b).subarray(i * strideB), ldb, beta, f(c).subarray(i * strideC), ldc);
    }
  }

  gemmIndirect(
    M: number, N: number, K: number, alpha: number, base: View, rowOffsets: View, colOffsets: View,
    transB: boolean, b: View, ldb: number, beta: number, c: View, ldc: number,
  ): void {
    reference.gemmIndirect(M, N, K, alpha, f(base), arr(rowOffsets), arr(colOffsets), transB, f(b), ldb, beta, f(c), ldc);
  }

  transpose(count: number, rows: number, cols: number, x: View, y: View): void {
    reference.transpose(count, rows, cols, arr(x), arr(y));
  }

  im2col(images: number, g: Window2d, x: View, cols: View): void {
    reference.im2col(images, g, f(x), f(cols));
  }

  col2im(images: number, g: Window2d, cols: View, dx: View): void {
    reference.col2im(images, g, f(cols), f(dx));
  }

  maxPool2d(images: number, g: Window2d, x: View, y: View, indices: View): void {
    reference.maxPool2d(images, g, f(x), f(y), arr(indices) as Int32Array);
  }

  maxPool2dBackward(planes: number, inputPlane: number, outputPlane: number, indices: View, dy: View, dx: View): void {
    reference.maxPool2dBackward(planes, inputPlane, outputPlane, arr(indices), f(dy), f(dx));
  }

  depthwiseConv2d(d: Depthwise, x: View, w: View, y: View): void {
    reference.depthwiseConv2d(d, f(x), f(w), f(y));
  }

  depthwiseConv2dWeightGrad(d: Depthwise, x: View, dy: View, dw: View): void {
    reference.depthwiseConv2dWeightGrad(d, f(x), f(dy), f(dw));
  }

  conv2dDirect(d: DirectConv, x: View, w: View, bias: View | null, y: View): void {
    reference.conv2dDirect(d, f(x), f(w), bias ? f(bias) : null, f(y));
  }

  conv2dDirectWeightGrad(d: DirectConv, x: View, dy: View, dweight: View): void {
    reference.conv2dDirectWeightGrad(d, f(x), f(dy), f(dweight));
  }

  batchNormStats(images: number, channels: number, inner: number, x: View, mean: View, variance: View): void {
    reference.batchNormStats(images, channels, inner, 0, channels, f(x), f(mean), f(variance));
  }

  batchNormBackwardStats(images: number, channels: number, inner: number, x: View, dy: View, mean: View, sumDy: View, dot: View): void {
    reference.batchNormBackwardStats(images, channels, inner, 0, channels, f(x), f(dy), f(mean), f(sumDy), f(dot));
  }

  channelAffine(images: number, channels: number, inner: number, x: View, scale: View, shift: View, y: View): void {
    reference.channelAffine(images, channels, inner, 0, channels, f(x), f(scale), f(shift), f(y));
  }

  batchNormBackwardInput(
    images: number, channels: number, inner: number, training: boolean,
    x: View, dy: View, mean: View, meanDy: View, k: View, invstd: View, w: View, dx: View,
  ): void {
    reference.batchNormBackwardInput(images, channels, inner, 0, channels, training ? 1 : 0, f(x), f(dy), f(mean), f(meanDy), f(k), f(invstd), f(w), f(dx));
  }

  reduce(op: ReduceOpName, outer: number, len: number, inner: number, x: View, out: View): void {
    reference.reduce(op, outer, len, inner, f(x), f(out));
  }

  argmax(outer: number, len: number, inner: number, x: View, out: View): void {
    reference.argmax(outer, len, inner, f(x), arr(out) as Int32Array);
  }

  firstOutside(n: number, x: View, lo: number, hi: number): number {
    return reference.firstOutside(n, f(x), lo, hi);
  }

  softmax(outer: number, len: number, inner: number, log: boolean, x: View, y: View): void {
    reference.softmax(outer, len, inner, log, f(x), f(y));
  }

  softmaxBackward(outer: number, len: number, inner: number, log: boolean, y: View, dy: View, dx: View): void {
    reference.softmaxBackward(outer, len, inner, log, f(y), f(dy), f(dx));
  }

  prelu(outer: number, channels: number, inner: number, x: View, alpha: View, y: View): void {
    reference.prelu(outer, channels, inner, f(x), f(alpha), f(y));
  }

  preluBackward(outer: number, channels: number, inner: number, x: View, alpha: View, dy: View, dx: View, dalpha: View): void {
    reference.preluBackward(outer, channels, inner, f(x), f(alpha), f(dy), f(dx), f(dalpha));
  }

  loss(kind: LossKind, n: number, x: View, t: View, out: View): void {
    lossForward[kind](n, f(x), f(t), f(out));
  }

  lossBackward(kind: LossKind, n: number, x: View, t: View, dy: View, dyStep: number, scale: number, dx: View): void {
    lossBackward[kind](n, f(x), f(t), f(dy), dyStep, scale, f(dx));
  }

  crossEntropy(n: number, c: number, x: View, labels: View, ignoreIndex: number, out: View): number {
    return reference.crossEntropy(n, c, f(x), arr(labels) as Int32Array, ignoreIndex, f(out));
  }

  crossEntropyBackward(n: number, c: number, x: View, labels: View, ignoreIndex: number, dy: View, dyStep: number, scale: number, dx: View): void {
    reference.crossEntropyBackward(n, c, f(x), arr(labels) as Int32Array, ignoreIndex, f(dy), dyStep, scale, f(dx));
  }

  update(update: AnyUpdate, n: number, buffers: Readonly<Record<string, View>>, coefficients: object): void {
    // The float32 reference, on this backend's float64 arrays (it rounds every step to float32 itself).
    const arrays = Object.fromEntries(update.buffers.map((b: string) => [b, f(buffers[b]!).subarray(0, n)]));
    update.reference(arrays as unknown as Record<string, Float32Array>, coefficients);
  }

  random(kind: 'uniform' | 'normal', n: number, seed: bigint, offset: bigint, a: number, b: number, out: View): void {
    // The same Philox stream as the kernels, rounded to float32 so both backends draw identical values.
    const values = new Float32Array(n);
    if (kind === 'uniform') reference.randomUniform(n, seed, offset, a, b, values);
    else reference.randomNormal(n, seed, offset, a, b, values);
    f(out).set(values);
  }
}
