// Helpers shared by the ops: input checks, views at offsets, and broadcasting's two directions.
import { ops as codes } from '@backprop/kernels';
import type { Backend, View } from '../backend';
import { DTypeError, ShapeError } from '../errors';
import { broadcastShapes, formatShape, planBinary, sameShape, type Shape } from '../shape';
import { allocate, backendOf, type Tensor } from '../tensor';

/** Checks that every input is live, float32 and on one backend; returns the backend. */
export function floatInputs(op: string, inputs: readonly Tensor[]): Backend {
  const backend = backendOf(op, inputs);
  for (const t of inputs) {
    if (t.dtype !== 'float32') throw new DTypeError(`${op}: expected a float32 tensor, got ${t.dtype} (shape ${formatShape(t.shape)})`);
  }
  return backend;
}

/** A view `offset` elements into t (t itself when offset is 0, to spare an allocation). */
export function at(t: View, offset: number): View {
  return offset === 0 ? t : { storage: t.storage, offset: t.offset + offset };
}

/** The broadcast of two shapes, or a ShapeError naming the op and both shapes. */
export function broadcastOrThrow(op: string, a: Shape, b: Shape): number[] {
  const shape = broadcastShapes(a, b);
  if (!shape) throw new ShapeError(`${op}: shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast together`);
  return shape;
}

/** out = a op b elementwise with NumPy broadcasting, through the 2-D kernel. */
export function broadcastBinary(backend: Backend, code: number, a: Tensor, b: Tensor, shape: Shape): Tensor {
  const out = allocate(backend, shape, 'float32', true);
  const plan = planBinary(a.shape, b.shape, shape);
  for (const [oa, ob, oo] of plan.calls) {
    backend.binary(code, plan.rows, plan.cols, at(a, oa), plan.aRow, plan.aCol, at(b, ob), plan.bRow, plan.bCol, at(out, oo));
  }
  return out;
}

const zeros = new WeakMap<Backend, Tensor>();

/** A 0-d zero that lives as long as its backend: the neutral operand for broadcasting copies. */
export function zeroOf(backend: Backend): Tensor {
  let zero = zeros.get(backend);
  if (!zero) {
    zero = allocate(backend, [], 'float32', false).keep();
    backend.fill(zero, 1, 0);
    zeros.set(backend, zero);
  }
  return zero;
}

/** t expanded to `shape` by broadcasting (a copy). */
export function broadcastTo(t: Tensor, shape: Shape): Tensor {
  if (sameShape(t.shape, shape)) return t;
  return broadcastBinary(t.backend, codes.ADD, t, zeroOf(t.backend), shape);
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
