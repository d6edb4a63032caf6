import { kernels, type Kernels } from '@backprop/kernels';
import type { Backend, LossKind, Storage, UpdateKind, View } from '../backend';
import type { DType } from '../dtype';

interface WasmStorage extends Storage {
  readonly ptr: number;
}

const lossForward = { bce: 'bce', bceWithLogits: 'bceWithLogits', mse: 'mse' } as const;
const lossBackward = { bce: 'bceBackward', bceWithLogits: 'bceWithLogitsBackward', mse: 'mseBackward' } as const;
const LOW = 0xffffffffn;

/** The float32 backend on @backprop/kernels: every kernel call is one WASM call on heap pointers. */
export class WasmBackend implements Backend {
  readonly name = 'wasm';

  constructor(private readonly k: Kernels = kernels) {}

  allocate(length: number, dtype: DType): Storage {
    const storage: WasmStorage = { backend: this, length, dtype, refs: 0, ptr: this.k.heap.alloc(length * 4) };
    return storage;
  }

  free(storage: Storage): void {
    this.k.heap.free((storage as WasmStorage).ptr);
  }

  read(v: View, length: number): Float32Array | Int32Array {
    const at = ptr(v) >> 2;
    return v.storage.dtype === 'int32' ? this.k.heap.i32().slice(at, at + length) : this.k.heap.f32().slice(at, at + length);
  }

  write(v: View, data: ArrayLike<number>): void {
    (v.storage.dtype === 'int32' ? this.k.heap.i32() : this.k.heap.f32()).set(data, ptr(v) >> 2);
  }

  copy(src: View, dst: View, length: number): void {
    this.k.wasm.copy(ptr(dst), ptr(src), length * 4);
  }

  fill(v: View, length: number, value: number): void {
    if (v.storage.dtype === 'int32') this.k.heap.i32().fill(value, ptr(v) >> 2, (ptr(v) >> 2) + length);
    else this.k.wasm.fill(length, value, ptr(v));
  }

  binary(op: number, rows: number, cols: number, a: View, aRow: number, aCol: number, b: View, bRow: number, bCol: number, out: View): void {
    this.k.binary(op, rows, cols, ptr(a), aRow, aCol, ptr(b), bRow, bCol, ptr(out));
  }

  unary(op: number, n: number, x: View, y: View, p: number): void {
    this.k.unary(op, n, ptr(x), ptr(y), p);
  }

  unaryBackward(op: number, n: number, x: View | null, y: View | null, dy: View, dx: View, p: number): void {
    this.k.unaryBackward(op, n, x ? ptr(x) : 0, y ? ptr(y) : 0, ptr(dy), ptr(dx), p);
  }

  axpby(n: number, alpha: number, a: View, beta: number, b: View, out: View): void {
    this.k.wasm.axpby(n, alpha, ptr(a), beta, ptr(b), ptr(out));
  }

  gemm(transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number, a: View, lda: number, b: View, ldb: number, beta: number, c: View, ldc: number): void {
    this.k.gemm(transA, transB, M, N, K, alpha, ptr(a), lda, ptr(b), ldb, beta, ptr(c), ldc);
  }

  transpose(rows: number, cols: number, x: View, y: View): void {
    this.k.wasm.transpose(rows, cols, ptr(x), ptr(y));
  }

  reduce(op: number, outer: number, len: number, inner: number, x: View, out: View): void {
    this.k.wasm.reduce(op, outer, len, inner, ptr(x), ptr(out));
  }

  argmax(outer: number, len: number, inner: number, x: View, out: View): void {
    this.k.wasm.argmax(outer, len, inner, ptr(x), ptr(out));
  }

  softmax(outer: number, len: number, inner: number, log: boolean, x: View, y: View): void {
    this.k.wasm.softmax(outer, len, inner, log ? 1 : 0, ptr(x), ptr(y));
  }

  softmaxBackward(outer: number, len: number, inner: number, log: boolean, y: View, dy: View, dx: View): void {
    this.k.wasm.softmaxBackward(outer, len, inner, log ? 1 : 0, ptr(y), ptr(dy), ptr(dx));
  }

  prelu(outer: number, channels: number, inner: number, x: View, alpha: View, y: View): void {
    this.k.wasm.prelu(outer, channels, inner, ptr(x), ptr(alpha), ptr(y));
  }

  preluBackward(outer: number, channels: number, inner: number, x: View, alpha: View, dy: View, dx: View, dalpha: View): void {
    this.k.wasm.preluBackward(outer, channels, inner, ptr(x), ptr(alpha), ptr(dy), ptr(dx), ptr(dalpha));
  }

  loss(kind: LossKind, n: number, x: View, t: View, out: View): void {
    this.k.wasm[lossForward[kind]](n, ptr(x), ptr(t), ptr(out));
  }

  lossBackward(kind: LossKind, n: number, x: View, t: View, dy: View, dyStep: number, scale: number, dx: View): void {
    this.k.wasm[lossBackward[kind]](n, ptr(x), ptr(t), ptr(dy), dyStep, scale, ptr(dx));
  }

  crossEntropy(n: number, c: number, x: View, labels: View, ignoreIndex: number, out: View): number {
    return this.k.wasm.crossEntropy(n, c, ptr(x), ptr(labels), ignoreIndex, ptr(out));
  }

  crossEntropyBackward(n: number, c: number, x: View, labels: View, ignoreIndex: number, dy: View, dyStep: number, scale: number, dx: View): void {
    this.k.wasm.crossEntropyBackward(n, c, ptr(x), ptr(labels), ignoreIndex, ptr(dy), dyStep, scale, ptr(dx));
  }

  update(kind: UpdateKind, n: number, buffers: readonly View[], scalars: readonly number[]): void {
    // Every update kernel takes (n, buffer pointers..., scalars...).
    const kernel: (...args: number[]) => void = this.k.wasm[kind];
    kernel(n, ...buffers.map(ptr), ...scalars);
  }

  random(kind: 'uniform' | 'normal', n: number, seed: bigint, offset: bigint, a: number, b: number, out: View): void {
    const args = [n, Number(seed & LOW), Number((seed >> 32n) & LOW), Number(offset & LOW), Number((offset >> 32n) & LOW), a, b, ptr(out)] as const;
    if (kind === 'uniform') this.k.wasm.randomUniform(...args);
    else this.k.wasm.randomNormal(...args);
  }
}

/** The byte address of a view in the WASM heap. */
export function ptr(v: View): number {
  return (v.storage as WasmStorage).ptr + v.offset * 4;
}
