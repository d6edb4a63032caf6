// Helpers shared by the ops: input checks, type promotion, views at offsets, and broadcasting's two directions.
import type { BinaryOpName } from '@backprop/kernels';
import type { Backend, View } from '../../backend';
import type { DType } from '../../dtype';
import { describeValue, DTypeError, ShapeError } from '../../errors';
import { broadcastStrides, walk } from '../../layout';
import { broadcastShapes, formatShape, sameShape, type Shape } from '../../shape';
import { allocate, backendOf, Tensor } from '../../tensor';
import { to } from '../cast';
import { gather } from './copy';

export type Operand = Tensor | number;

/** What a value that should have been a tensor is, for an error message. */
function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array (make it a tensor with tensor(...))';
  if (typeof value === 'object' && value !== null && 'storage' in value && 'shape' in value) {
    return 'a Tensor from another copy of @backprop/autograd: a process must load one copy (not both its ESM and its CommonJS build, nor two versions)';
  }
  return describeValue(value);
}

/** Throws a TypeError naming what came instead of a tensor. */
export function checkTensor(op: string, value: unknown, what = 'the input'): asserts value is Tensor {
  if (!(value instanceof Tensor)) throw new TypeError(`${op}: ${what} must be a Tensor, got ${describe(value)}`);
}

/** Disposes intermediate tensors an op made and no longer needs. */
export function release(...tensors: Tensor[]): void {
  for (const t of tensors) t.dispose();
}

/** Throws a TypeError naming what came instead of a tensor or a number. */
export function checkOperand(op: string, value: unknown): asserts value is Operand {
  if (typeof value !== 'number' && !(value instanceof Tensor)) throw new TypeError(`${op}: the other operand must be a Tensor or a number, got ${describe(value)}`);
}

/** Checks that every input is live, float32 and on one backend; returns the backend. */
export function floatInputs(op: string, inputs: readonly Tensor[]): Backend {
  const backend = backendOf(op, inputs);
  for (const t of inputs) {
    if (t.dtype !== 'float32') throw new DTypeError(`${op}: expected a float32 tensor, got ${t.dtype} (shape ${formatShape(t.shape)})`);
  }
  return backend;
}

/** x as float32: int32 values are converted (PyTorch promotes them for floating-point ops). */
export function asFloat(x: Tensor): Tensor {
  return x.dtype === 'float32' ? x : to(x, 'float32');
}

/** PyTorch's promotion for two operands: int32 with int32 stays int32; anything with float32 is float32. */
export function promoted(a: DType, b: DType): DType {
  return a === 'int32' && b === 'int32' ? 'int32' : 'float32';
}

/**
 * A View `offset` elements into t's storage (t itself when offset is 0 and t is contiguous, to spare an
 * allocation; a strided tensor becomes a plain view, for the kernels that walk strides themselves).
 */
export function at(t: View, offset: number): View {
  return offset === 0 && t.isContiguous !== false ? t : { storage: t.storage, offset: t.offset + offset };
}

/** The broadcast of two shapes, or a ShapeError naming the op and both shapes. */
export function broadcastOrThrow(op: string, a: Shape, b: Shape): number[] {
  const shape = broadcastShapes(a, b);
  if (!shape) throw new ShapeError(`${op}: shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast together`);
  return shape;
}

/** Above this many elements, an operand strided along its last axis is gathered first: SIMD then pays for the copy. */
const GATHER_ABOVE = 1024;

/** out = a op b elementwise with NumPy broadcasting, any strides, through the 2-D kernel (float32). */
export function broadcastBinary(backend: Backend, op: BinaryOpName, a: Tensor, b: Tensor, shape: Shape): Tensor {
  const out = allocate(backend, shape, 'float32');
  const n = out.size;
  // The common cases in one kernel call, without a walk: equal shapes, and a full operand with one that
  // repeats over its rows (a bias row, or a single value: a normalisation's mean, a scalar tensor).
  if (a.isContiguous && b.isContiguous && n > 0) {
    const [aFull, bFull] = [sameShape(a.shape, shape), sameShape(b.shape, shape)];
    if (aFull && bFull) {
      backend.binary(op, 1, n, a, 0, 1, b, 0, 1, out);
      return out;
    }
    if (aFull && repeatsOverRows(b.shape, shape)) {
      if (b.size === 1) backend.binary(op, 1, n, a, 0, 1, b, 0, 0, out);
      else backend.binary(op, n / b.size, b.size, a, b.size, 1, b, 0, 1, out);
      return out;
    }
    if (bFull && repeatsOverRows(a.shape, shape)) {
      if (a.size === 1) backend.binary(op, 1, n, a, 0, 0, b, 0, 1, out);
      else backend.binary(op, n / a.size, a.size, a, 0, 1, b, a.size, 1, out);
      return out;
    }
  }
  let w = walk(shape, [broadcastStrides(a.shape, a.strides, shape), broadcastStrides(b.shape, b.strides, shape), out.strides]);
  const temporaries: Tensor[] = [];
  if (out.size > GATHER_ABOVE && w.colStrides.some((s) => s > 1)) {
    [a, b] = [a, b].map((t, k) => (w.colStrides[k]! > 1 ? temporaries[temporaries.push(gather(t)) - 1]! : t)) as [Tensor, Tensor];
    w = walk(shape, [broadcastStrides(a.shape, a.strides, shape), broadcastStrides(b.shape, b.strides, shape), out.strides]);
  }
  for (const [oa, ob, oo] of w.offsets) {
    backend.binary(op, w.rows, w.cols, at(a, oa!), w.rowStrides[0]!, w.colStrides[0]!, at(b, ob!), w.rowStrides[1]!, w.colStrides[1]!, at(out, oo!));
  }
  for (const t of temporaries) t.dispose();
  return out;
}

/** Whether `part` broadcast to `shape` is the same row repeated: its axes, past leading 1s, are shape's last ones. */
function repeatsOverRows(part: Shape, shape: Shape): boolean {
  let first = 0;
  while (first < part.length && part[first] === 1) first++;
  const tail = part.length - first;
  for (let i = 1; i <= tail; i++) if (part[part.length - i] !== shape[shape.length - i]) return false;
  return true;
}

const zeros = new WeakMap<Backend, Tensor>();

/** A 0-d zero that lives as long as its backend: the neutral operand for broadcasting copies. */
export function zeroOf(backend: Backend): Tensor {
  let zero = zeros.get(backend);
  if (!zero) {
    zero = allocate(backend, [], 'float32').keep();
    backend.fill(zero, 1, 0);
    zeros.set(backend, zero);
  }
  return zero;
}

/** t expanded to `shape` by broadcasting (a copy; t itself when it already has that shape). */
export function broadcastTo(t: Tensor, shape: Shape): Tensor {
  if (sameShape(t.shape, shape)) return t;
  return broadcastBinary(t.backend, 'add', t, zeroOf(t.backend), shape);
}

/** The gradient of a broadcast: g summed over the axes along which `shape` was broadcast, shaped as `shape`. */
export function sumTo(g: Tensor, shape: Shape): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.rank - shape.length;
  let out = g;
  for (let axis = 0; axis < g.rank; axis++) {
    const target = axis < lead ? 1 : shape[axis - lead]!;
    if (target === 1 && g.shape[axis] !== 1) out = out.sum(axis, true);
  }
  return out.reshape(shape);
}
