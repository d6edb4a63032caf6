import { kernels, sizeClass, type AnyUpdate, type BinaryOpName, type Kernels, type ReduceOpName, type UnaryOpName, type Depthwise, type DirectConv, type Window2d } from '@backprop/kernels';
import type { Backend, LossKind, Storage, View } from '../backend';
import type { DType } from '../dtype';
import { Residency, type CachedStorage, type ResidencyStats } from './residency';

const LOW = 0xffffffffn;

/**
 * The backend on @backprop/kernels: every kernel call is one WASM call on heap addresses. Tensor data lives
 * in kernel memory while in use and is spilled to JavaScript when not (see residency.ts); addresses are taken
 * right before each call, so a spilled input is copied back in just in time.
 */
export class WasmBackend implements Backend {
  readonly name = 'wasm';
  private readonly residency: Residency;

  constructor(private readonly k: Kernels = kernels) {
    this.residency = new Residency(k);
  }

  /** ptr() as a function value, made once (the fused updates take it). */
  private readonly address = (v: View): number => this.ptr(v);

  allocate(length: number, dtype: DType): Storage {
    const storage: CachedStorage = {
      backend: this, length, dtype, refs: 0, version: 0,
      ptr: -1, bytes: sizeClass(length * 4), spilled: null, used: false, op: 0, survived: false, spilledAt: 0, older: null, newer: null,
    };
    this.residency.admit(storage);
    return storage;
  }

  free(storage: Storage): void {
    this.residency.drop(storage as CachedStorage);
  }

  use(inputs: readonly View[]): void {
    this.residency.startOp();
    for (const v of inputs) this.residency.touch(v.storage as CachedStorage);
  }

  /** How much tensor data is in kernel memory, its budget, and how often data moved out and back in. */
  stats(): ResidencyStats {
    return this.residency.stats();
  }

  read(v: View, length: number): Float32Array | Int32Array {
    const spilled = (v.storage as CachedStorage).spilled;
    if (spilled) return spilled.slice(v.offset, v.offset + length); // read where it is: no copy back
    return this.elements(v, length).slice();
  }

  write(v: View, data: ArrayLike<number>): void {
    const spilled = (v.storage as CachedStorage).spilled;
    if (spilled) spilled.set(data, v.offset);
    else this.elements(v, data.length).set(data);
  }

  copy(src: View, dst: View, length: number): void {
    this.k.copy(this.ptr(dst), this.ptr(src), length * 4);
  }

  copyStrided(rows: number, cols: number, src: View, srcRow: number, srcCol: number, dst: View, dstRow: number, dstCol: number): void {
    this.k.copyStrided(rows, cols, this.ptr(src), srcRow, srcCol, this.ptr(dst), dstRow, dstCol);
  }

  fill(v: View, length: number, value: number): void {
    if (v.storage.dtype === 'int32') this.elements(v, length).fill(value);
    else this.k.fill(length, value, this.ptr(v));
  }

  binary(op: BinaryOpName, rows: number, cols: number, a: View, aRow: number, aCol: number, b: View, bRow: number, bCol: number, out: View): void {
    this.k.binary(op, rows, cols, this.ptr(a), aRow, aCol, this.ptr(b), bRow, bCol, this.ptr(out));
  }

  unary(op: UnaryOpName, n: number, x: View, y: View, p: number): void {
    this.k.unary(op, n, this.ptr(x), this.ptr(y), p);
  }

  unaryBackward(op: UnaryOpName, n: number, x: View | null, y: View | null, dy: View, dx: View, p: number): void {
    this.k.unaryBackward(op, n, x ? this.ptr(x) : 0, y ? this.ptr(y) : 0, this.ptr(dy), this.ptr(dx), p);
  }

  axpby(n: number, alpha: number, a: View, beta: number, b: View, out: View): void {
    this.k.axpby(n, alpha, this.ptr(a), beta, this.ptr(b), this.ptr(out));
  }

  gemm(transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number, a: View, lda: number, b: View, ldb: number, beta: number, c: View, ldc: number): void {
    this.k.gemm(transA, transB, M, N, K, alpha, this.ptr(a), lda, this.ptr(b), ldb, beta, this.ptr(c), ldc);
  }

  gemmBatched(
    count: number, transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number,
    a: View, lda: number, strideA: number, b: View, ldb: number, strideB: number, beta: number, c: View, ldc: number, strideC: number,
  ): void {
    this.k.gemmBatched(count, transA, transB, M, N, K, alpha, this.ptr(a), lda, strideA, this.ptr(b), ldb, strideB, beta, this.ptr(c), ldc, strideC);
  }

  gemmIndirect(
    M: number, N: number, K: number, alpha: number, base: View, rowOffsets: View, colOffsets: View,
    transB: boolean, b: View, ldb: number, beta: number, c: View, ldc: number,
  ): void {
    this.k.gemmIndirect(M, N, K, alpha, this.ptr(base), this.ptr(rowOffsets), this.ptr(colOffsets), transB, this.ptr(b), ldb, beta, this.ptr(c), ldc);
  }

  transpose(count: number, rows: number, cols: number, x: View, y: View): void {
    this.k.transpose(count, rows, cols, this.ptr(x), this.ptr(y));
  }

  im2col(images: number, g: Window2d, x: View, cols: View): void {
    this.k.im2col(images, g, this.ptr(x), this.ptr(cols));
  }

  col2im(images: number, g: Window2d, cols: View, dx: View): void {
    this.k.col2im(images, g, this.ptr(cols), this.ptr(dx));
  }

  maxPool2d(images: number, g: Window2d, x: View, y: View, indices: View): void {
    this.k.maxPool2d(images, g, this.ptr(x), this.ptr(y), this.ptr(indices));
  }

  maxPool2dBackward(planes: number, inputPlane: number, outputPlane: number, indices: View, dy: View, dx: View): void {
    this.k.maxPool2dBackward(planes, inputPlane, outputPlane, this.ptr(indices), this.ptr(dy), this.ptr(dx));
  }

  depthwiseConv2d(d: Depthwise, x: View, w: View, y: View): void {
    this.k.depthwiseConv2d(d, this.ptr(x), this.ptr(w), this.ptr(y));
  }

  depthwiseConv2dWeightGrad(d: Depthwise, x: View, dy: View, dw: View): void {
    this.k.depthwiseConv2dWeightGrad(d, this.ptr(x), this.ptr(dy), this.ptr(dw));
  }

  conv2dDirect(d: DirectConv, x: View, w: View, bias: View | null, y: View): void {
    this.k.conv2dDirect(d, this.ptr(x), this.ptr(w), bias ? this.ptr(bias) : 0, this.ptr(y));
  }

  conv2dDirectWeightGrad(d: DirectConv, x: View, dy: View, dweight: View): void {
    this.k.conv2dDirectWeightGrad(d, this.ptr(x), this.ptr(dy), this.ptr(dweight));
  }

  batchNormStats(images: number, channels: number, inner: number, x: View, mean: View, variance: View): void {
    this.k.batchNormStats(images, channels, inner, this.ptr(x), this.ptr(mean), this.ptr(variance));
  }

  batchNormBackwardStats(images: number, channels: number, inner: number, x: View, dy: View, mean: View, sumDy: View, dot: View): void {
    this.k.batchNormBackwardStats(images, channels, inner, this.ptr(x), this.ptr(dy), this.ptr(mean), this.ptr(sumDy), this.ptr(dot));
  }

  channelAffine(images: number, channels: number, inner: number, x: View, scale: View, shift: View, y: View): void {
    this.k.channelAffine(images, channels, inner, this.ptr(x), this.ptr(scale), this.ptr(shift), this.ptr(y));
  }

  batchNormBackwardInput(
    images: number, channels: number, inner: number, training: boolean,
    x: View, dy: View, mean: View, meanDy: View, k: View, invstd: View, w: View, dx: View,
  ): void {
    this.k.batchNormBackwardInput(images, channels, inner, training, this.ptr(x), this.ptr(dy), this.ptr(mean), this.ptr(meanDy), this.ptr(k), this.ptr(invstd), this.ptr(w), this.ptr(dx));
  }

  reduce(op: ReduceOpName, outer: number, len: number, inner: number, x: View, out: View): void {
    this.k.reduce(op, outer, len, inner, this.ptr(x), this.ptr(out));
  }

  argmax(outer: number, len: number, inner: number, x: View, out: View): void {
    this.k.argmax(outer, len, inner, this.ptr(x), this.ptr(out));
  }

  firstOutside(n: number, x: View, lo: number, hi: number): number {
    return this.k.wasm.firstOutside(n, this.ptr(x), lo, hi);
  }

  softmax(outer: number, len: number, inner: number, log: boolean, x: View, y: View): void {
    this.k.softmax(outer, len, inner, log, this.ptr(x), this.ptr(y));
  }

  softmaxBackward(outer: number, len: number, inner: number, log: boolean, y: View, dy: View, dx: View): void {
    this.k.softmaxBackward(outer, len, inner, log, this.ptr(y), this.ptr(dy), this.ptr(dx));
  }

  prelu(outer: number, channels: number, inner: number, x: View, alpha: View, y: View): void {
    this.k.prelu(outer, channels, inner, this.ptr(x), this.ptr(alpha), this.ptr(y));
  }

  preluBackward(outer: number, channels: number, inner: number, x: View, alpha: View, dy: View, dx: View, dalpha: View): void {
    this.k.wasm.preluBackward(outer, channels, inner, this.ptr(x), this.ptr(alpha), this.ptr(dy), this.ptr(dx), this.ptr(dalpha));
  }

  loss(kind: LossKind, n: number, x: View, t: View, out: View): void {
    this.k.loss(kind, n, this.ptr(x), this.ptr(t), this.ptr(out));
  }

  lossBackward(kind: LossKind, n: number, x: View, t: View, dy: View, dyStep: number, scale: number, dx: View): void {
    this.k.lossBackward(kind, n, this.ptr(x), this.ptr(t), this.ptr(dy), dyStep, scale, this.ptr(dx));
  }

  crossEntropy(n: number, c: number, x: View, labels: View, ignoreIndex: number, out: View): number {
    return this.k.crossEntropy(n, c, this.ptr(x), this.ptr(labels), ignoreIndex, this.ptr(out));
  }

  crossEntropyBackward(n: number, c: number, x: View, labels: View, ignoreIndex: number, dy: View, dyStep: number, scale: number, dx: View): void {
    this.k.crossEntropyBackward(n, c, this.ptr(x), this.ptr(labels), ignoreIndex, this.ptr(dy), dyStep, scale, this.ptr(dx));
  }

  update(update: AnyUpdate, n: number, buffers: Readonly<Record<string, View>>, coefficients: object): void {
    this.k.updateAt(update, n, buffers, coefficients, this.address);
  }

  random(kind: 'uniform' | 'normal', n: number, seed: bigint, offset: bigint, a: number, b: number, out: View): void {
    const args = [n, Number(seed & LOW), Number((seed >> 32n) & LOW), Number(offset & LOW), Number((offset >> 32n) & LOW), a, b, this.ptr(out)] as const;
    if (kind === 'uniform') this.k.wasm.randomUniform(...args);
    else this.k.wasm.randomNormal(...args);
  }

  /** The byte address of a view, its data copied back into kernel memory first if it was spilled. */
  private ptr(v: View): number {
    if (v.isContiguous === false) throw new Error('internal error: a kernel was handed a strided view (make it contiguous first)');
    return this.residency.address(v.storage as CachedStorage) + v.offset * 4;
  }

  /** A view of `length` elements of v in kernel memory (valid until the next allocation). */
  private elements(v: View, length: number): Float32Array | Int32Array {
    const at = this.ptr(v);
    return v.storage.dtype === 'int32' ? this.k.heap.ints(at, length) : this.k.heap.floats(at, length);
  }
}
