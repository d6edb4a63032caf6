import type { Backend, Storage, View } from './backend';
import { context } from './context';
import type { DType } from './dtype';
import { AnomalyError, DTypeError, ReleasedTensorError } from './errors';
import { format } from './format';
import { adopt, releaseStorage } from './lifetime';
import { Node, type BackwardFn } from './node';
import { contiguousStrides, isContiguous } from './layout';
import { formatShape, sizeOf, type Shape } from './shape';
import * as ops from './generated/ops';
import * as inplace from './inplace';
import { gather } from './ops/internal/copy';
import { backward, type BackwardOptions } from './backward';

export { Node } from './node';

export type NestedArray = number | NestedArray[];

/**
 * A multi-dimensional array of float32 (or int32) values in kernel memory, with reverse-mode autodiff.
 * PyTorch semantics: NumPy broadcasting, gradients accumulate into `grad` of leaves that require it.
 */
export class Tensor implements View {
  readonly shape: Shape;
  readonly size: number;
  /** The op that produced this tensor, for backward (PyTorch's grad_fn); null for leaves. */
  node: Node | null = null;
  /** Exempt from the enclosing scope()'s release (keep()). */
  kept = false;
  /** @internal How many nodes of the tape hold this tensor (as an input, or saved). */
  graphRefs = 0;
  private discarded = false;
  grad: Tensor | null = null;
  private releasedBecause: string | undefined;
  private _requiresGrad = false;
  private accumulator: Node | null = null;

  /** Whether the elements lie row-major without gaps from `offset`, as every kernel but the strided ones needs. */
  readonly isContiguous: boolean;
  private layoutStrides: readonly number[] | undefined;

  /** @internal Use the creation functions (tensor, zeros, ...) or ops. */
  constructor(
    readonly storage: Storage,
    readonly offset: number,
    shape: Shape,
    readonly dtype: DType,
    /** The tensor this one is a view of (reshape, permute, narrow, ...), sharing its storage; null otherwise. */
    readonly base: Tensor | null = null,
    strides?: readonly number[],
  ) {
    // A frozen shape (another tensor's) is shared rather than copied: ops pass their inputs' shapes on.
    this.shape = Object.isFrozen(shape) ? shape : Object.freeze([...shape]);
    this.size = sizeOf(shape);
    this.layoutStrides = strides && Object.freeze([...strides]);
    this.isContiguous = strides === undefined || isContiguous(shape, strides);
    storage.refs++;
    adopt(this);
  }

  get backend(): Backend {
    return this.storage.backend;
  }

  /** How many elements of storage separate neighbours along each axis (row-major unless a view). */
  get strides(): readonly number[] {
    return (this.layoutStrides ??= Object.freeze(contiguousStrides(this.shape)));
  }

  /** Whether gradients flow to this tensor. Settable on leaves (PyTorch's requires_grad_). */
  get requiresGrad(): boolean {
    return this._requiresGrad;
  }

  set requiresGrad(value: boolean) {
    if (!value && this.node) throw new Error('requiresGrad can only be turned off on a leaf tensor: use detach() for a non-leaf');
    if (value && this.dtype !== 'float32') throw new DTypeError(`only float32 tensors can require gradients, not ${this.dtype}`);
    this._requiresGrad = value;
  }

  get rank(): number {
    return this.shape.length;
  }

  get isReleased(): boolean {
    return this.releasedBecause !== undefined;
  }

  /** How many times this tensor's data was changed in place (PyTorch's _version; views share it). */
  get version(): number {
    return this.storage.version;
  }

  /** Throws if this tensor can no longer be used; returns it. */
  live(op: string): this {
    if (this.releasedBecause !== undefined) {
      throw new ReleasedTensorError(`${op}: this ${formatShape(this.shape)} tensor was released: ${this.releasedBecause}`);
    }
    return this;
  }

  /** @internal Frees the storage (once) and makes further use throw, naming why. */
  release(reason: string): void {
    if (this.releasedBecause !== undefined) return;
    this.releasedBecause = reason;
    this.node = null;
    releaseStorage(this.storage);
  }

  /** Frees this tensor's memory now (and its gradient's). Using it afterwards throws. Never required. */
  dispose(): void {
    this.grad?.dispose();
    this.grad = null;
    this.release('dispose() was called on it');
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  /** Exempts this tensor from the release at the end of the scope() it was created in. */
  keep(): this {
    this.live('keep');
    this.kept = true;
    return this;
  }

  /**
   * @internal Declares that only the tape still uses this tensor (for containers such as Sequential, whose
   * intermediate results nobody else sees): it is released as soon as no recorded op needs it, so its memory
   * is reused at once instead of waiting to be spilled.
   */
  discard(): void {
    this.discarded = true;
    if (this.graphRefs === 0) this.release('it was an intermediate result of a container (such as Sequential), freed once nothing needed it');
  }

  /** @internal A node of the tape let go of this tensor. */
  unreference(): void {
    if (--this.graphRefs === 0 && this.discarded) this.release('it was an intermediate result of a container (such as Sequential), freed once backward no longer needed it');
  }

  /** A new leaf sharing this tensor's data, cut from the graph (PyTorch's detach). */
  detach(): Tensor {
    this.live('detach');
    return new Tensor(this.storage, this.offset, this.shape, this.dtype, null, this.strides);
  }

  /** @internal Where a gradient for this tensor goes: its op's node, a leaf's accumulator, or null. */
  gradEdge(): Node | null {
    if (this.node) return this.node;
    if (!this._requiresGrad) return null;
    return (this.accumulator ??= Node.accumulator(this));
  }

  /** @internal An in-place op recorded on the tape: this tensor now holds the op's result. */
  rebase(node: Node): void {
    this.node = node;
    this._requiresGrad = true;
  }

  /** Backpropagates from this tensor: a scalar, or any shape with an explicit upstream gradient. */
  backward(gradient?: Tensor | NestedArray, options: BackwardOptions = {}): void {
    backward(this, gradient, options);
  }

  /** Drops this tensor's gradient (PyTorch's zero_grad with set_to_none, its default). */
  zeroGrad(): void {
    this.grad?.dispose();
    this.grad = null;
  }

  /** A copy of the values in row-major order: Float32Array (or Int32Array for int32). */
  data(): Float32Array | Int32Array {
    this.live('data');
    const values = this.values();
    return values instanceof Float64Array ? Float32Array.from(values) : values;
  }

  /** The values in row-major order at full precision of the backend (float64 on the reference backend). */
  values(): Float32Array | Float64Array | Int32Array {
    this.live('values');
    if (this.isContiguous) return this.backend.read(this, this.size);
    const dense = gather(this);
    const values = this.backend.read(dense, dense.size);
    dense.dispose();
    return values;
  }

  /** The values as nested arrays of numbers. */
  toArray(): NestedArray {
    const flat = this.values();
    let at = 0;
    const build = (dim: number): NestedArray => {
      if (dim === this.shape.length) return flat[at++]!;
      return Array.from({ length: this.shape[dim]! }, () => build(dim + 1));
    };
    return build(0);
  }

  /** The value of a one-element tensor. */
  item(): number {
    this.live('item');
    if (this.size !== 1) throw new RangeError(`item(): only one-element tensors have an item; this one has shape ${formatShape(this.shape)}`);
    return this.values()[0]!;
  }

  toString(): string {
    if (this.releasedBecause !== undefined) return `tensor(<released: ${this.releasedBecause}>)`;
    return format(this);
  }

  add(other: Tensor | number): Tensor { return ops.add(this, other); }
  sub(other: Tensor | number): Tensor { return ops.sub(this, other); }
  mul(other: Tensor | number): Tensor { return ops.mul(this, other); }
  div(other: Tensor | number): Tensor { return ops.div(this, other); }
  maximum(other: Tensor | number): Tensor { return ops.maximum(this, other); }
  minimum(other: Tensor | number): Tensor { return ops.minimum(this, other); }
  eq(other: Tensor | number): Tensor { return ops.eq(this, other); }
  ne(other: Tensor | number): Tensor { return ops.ne(this, other); }
  lt(other: Tensor | number): Tensor { return ops.lt(this, other); }
  le(other: Tensor | number): Tensor { return ops.le(this, other); }
  gt(other: Tensor | number): Tensor { return ops.gt(this, other); }
  ge(other: Tensor | number): Tensor { return ops.ge(this, other); }
  matmul(other: Tensor): Tensor { return ops.matmul(this, other); }
  pow(exponent: number): Tensor { return ops.pow(this, exponent); }
  neg(): Tensor { return ops.neg(this); }
  exp(): Tensor { return ops.exp(this); }
  log(): Tensor { return ops.log(this); }
  sqrt(): Tensor { return ops.sqrt(this); }
  square(): Tensor { return ops.square(this); }
  abs(): Tensor { return ops.abs(this); }
  sigmoid(): Tensor { return ops.sigmoid(this); }
  tanh(): Tensor { return ops.tanh(this); }
  relu(): Tensor { return ops.relu(this); }
  leakyRelu(negativeSlope = 0.01): Tensor { return ops.leakyRelu(this, negativeSlope); }
  elu(alpha = 1): Tensor { return ops.elu(this, alpha); }
  softplus(): Tensor { return ops.softplus(this); }
  prelu(alpha: Tensor): Tensor { return ops.prelu(this, alpha); }
  /** The sum over one axis, a list of axes, or every element (the default). */
  sum(axes?: ops.Axes, keepDims = false): Tensor { return ops.sum(this, axes, keepDims); }
  mean(axes?: ops.Axes, keepDims = false): Tensor { return ops.mean(this, axes, keepDims); }
  max(axes?: ops.Axes, keepDims = false): Tensor { return ops.max(this, axes, keepDims); }
  min(axes?: ops.Axes, keepDims = false): Tensor { return ops.min(this, axes, keepDims); }
  /** The variance over axes, divided by n - correction (default 1, as PyTorch). */
  var(axes?: ops.Axes, options: ops.VarianceOptions = {}): Tensor { return ops.variance(this, axes, options); }
  std(axes?: ops.Axes, options: ops.VarianceOptions = {}): Tensor { return ops.std(this, axes, options); }
  argmax(axis: number, keepDims = false): Tensor { return ops.argmax(this, axis, keepDims); }
  argmin(axis: number, keepDims = false): Tensor { return ops.argmin(this, axis, keepDims); }
  /** The elements picked along `axis` by an int32 index of the same rank (PyTorch's gather). */
  gather(axis: number, index: Tensor): Tensor { return ops.gather(this, axis, index); }
  softmax(axis: number): Tensor { return ops.softmax(this, axis); }
  logSoftmax(axis: number): Tensor { return ops.logSoftmax(this, axis); }
  reshape(shape: Shape): Tensor { return ops.reshape(this, shape); }
  /** Axes dim0 and dim1 swapped, as a view (the last two by default; a 0-d or 1-D tensor is its own transpose). */
  transpose(dim0?: number, dim1?: number): Tensor { return ops.transpose(this, dim0, dim1); }
  /** The axes in the given order, as a view (y.shape[i] = x.shape[axes[i]]). */
  permute(axes: readonly number[]): Tensor { return ops.permute(this, axes); }
  /** Broadcast to `shape` as a view: axes of size 1 grow, new axes may lead, -1 keeps a size. */
  expand(shape: readonly number[]): Tensor { return ops.expand(this, shape); }
  /** Elements start..start+length along `axis`, as a view. */
  narrow(axis: number, start: number, length: number): Tensor { return ops.narrow(this, axis, start, length); }
  /** A new axis of size 1 at `axis`, as a view. */
  unsqueeze(axis: number): Tensor { return ops.unsqueeze(this, axis); }
  /** Without axes of size 1 (only `axis` when given), as a view. */
  squeeze(axis?: number): Tensor { return ops.squeeze(this, axis); }
  /** Axes startDim..endDim merged into one. */
  flatten(startDim = 0, endDim = -1): Tensor { return ops.flatten(this, startDim, endDim); }
  /** This tensor as `dtype` (itself if it already is); not differentiable. */
  to(dtype: DType): Tensor { return ops.to(this, dtype); }
  /** As float32, e.g. int32 labels as 0/1 targets for a binary loss. */
  float(): Tensor { return ops.to(this, 'float32'); }
  /** As int32, truncating toward zero. */
  int(): Tensor { return ops.to(this, 'int32'); }
  /** In place: this += alpha * other (inside noGrad for tensors that require grad). */
  add_(other: Tensor | number, alpha = 1): this { inplace.add_(this, other, alpha); return this; }
  /** In place: this -= alpha * other. */
  sub_(other: Tensor | number, alpha = 1): this { inplace.sub_(this, other, alpha); return this; }
  /** In place: this *= factor. */
  mul_(factor: number): this { inplace.mul_(this, factor); return this; }
  /** In place: copies src's values into this tensor. */
  copy_(src: Tensor): this { inplace.copy_(this, src); return this; }
  /** In place: every element becomes value. */
  fill_(value: number): this { inplace.fill_(this, value); return this; }
  /** In place: every element becomes 0. */
  zero_(): this { inplace.fill_(this, 0); return this; }
  /** This tensor with contiguous data: itself when it is, else a copy (gradients pass straight through). */
  contiguous(): Tensor { return ops.contiguous(this); }
  /** A copy with its own storage; gradients flow back to this tensor (PyTorch's clone). */
  clone(): Tensor { return ops.clone(this); }
  /** Rows start..end (exclusive) along the first axis. */
  slice(start: number, end?: number): Tensor { return ops.slice(this, start, end); }
  /** The entries at `indices` along `axis` (rows by default), in that order (PyTorch's index_select). */
  indexSelect(indices: ArrayLike<number>, axis = 0): Tensor { return ops.indexSelect(this, indices, axis); }
}

/** @internal A new tensor with fresh storage on `backend`. */
export function allocate(backend: Backend, shape: Shape, dtype: DType): Tensor {
  return new Tensor(backend.allocate(sizeOf(shape), dtype), 0, shape, dtype);
}

/** @internal The backend shared by all inputs of an op (mixing backends is an error); marks them in use. */
export function backendOf(op: string, inputs: readonly Tensor[]): Backend {
  const backend = inputs[0]!.backend;
  for (const t of inputs) {
    t.live(op);
    if (t.backend !== backend) throw new Error(`${op}: inputs live on different backends (${backend.name} and ${t.backend.name})`);
  }
  backend.use(inputs);
  return backend;
}

const NOTHING_SAVED: readonly never[] = [];

export interface RecordOptions {
  /**
   * What backward reads besides the gradient: tensors (a later in-place change to one makes backward throw)
   * and numbers (as PyTorch's saved scalars). A backward() releases them; an op that saves nothing can be
   * backpropagated through again.
   */
  saves?: readonly (Tensor | number)[];
  /** For a view: the tensor it views, whose later in-place changes the view's gradient cannot follow. */
  viewOf?: Tensor;
  params?: Record<string, unknown>;
}

/**
 * @internal Records `out = op(inputs)` on the tape if grad mode is on and any input requires grad. The
 * backward closure may capture only the tensors listed in `saves` (and shapes, numbers): anything else it
 * captured would outlive the backward() that released the op.
 */
/** @internal Whether an op on these inputs goes on the tape (an op may skip building its backward if not). */
export function recording(inputs: readonly Tensor[]): boolean {
  return context.gradEnabled && inputs.some((t) => t.requiresGrad);
}

/** @internal An op's result that goes on no tape (anomaly mode still checks it for NaN and Inf). */
export function unrecorded(out: Tensor, op: string): Tensor {
  if (context.anomaly) checkFinite(out, `op '${op}' (forward)`);
  return out;
}

/** @internal Puts `out` on the tape as the result of `op` on `inputs`, with its backward, if recording. */
export function record(out: Tensor, op: string, inputs: readonly Tensor[], grad: BackwardFn, options: RecordOptions = {}): Tensor {
  if (recording(inputs)) {
    const { saves = NOTHING_SAVED, viewOf, params } = options;
    const saved = saves.length === 0 ? NOTHING_SAVED : saves.filter((v): v is Tensor => typeof v !== 'number');
    const edges = inputs.map((t) => t.gradEdge());
    out.rebase(new Node(op, inputs, edges, grad, { saved, savesNumbers: saved.length < saves.length, ...(viewOf ? { viewOf } : {}), ...(params ? { params } : {}) }));
  }
  return unrecorded(out, op);
}
/** @internal Anomaly mode's check: throws naming `where` if t holds NaN or Inf. */
export function checkFinite(t: Tensor, where: string): void {
  if (t.dtype !== 'float32') return;
  const values = t.values();
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new AnomalyError(`anomaly: ${where} produced ${values[i]} at flat index ${i} of its ${formatShape(t.shape)} output`);
    }
  }
}
