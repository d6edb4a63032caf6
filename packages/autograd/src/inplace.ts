// In-place changes, PyTorch's trailing-underscore methods. Each one bumps the tensor's version, so a backward
// that saved the old values refuses to run instead of giving a wrong gradient. With grad mode on, a change
// that involves a tensor requiring grad is recorded on the tape as PyTorch records it: the tensor's node
// becomes the in-place op's, while the ops that used it before keep the node it had then. A leaf that requires
// grad cannot change in place with grad mode on (its .grad would describe values it no longer has).
import { context, noGrad } from './context';
import { describeValue, DTypeError, ShapeError } from './errors';
import { Node } from './node';
import { broadcastShapes, formatShape, sameShape } from './shape';
import { allocate, backendOf, Tensor } from './tensor';
import { checkOperand, checkTensor, sumTo, type Operand } from './ops/internal/common';
import { add, mul } from './ops/binary';
import { copyLayout } from './ops/internal/copy';
import { broadcastStrides } from './layout';
import { to } from './ops/cast';
import { elementwise } from './ops/internal/integer';

/** The checks every in-place op makes; returns whether the change must be recorded for autograd. */
function begin(op: string, t: Tensor, source: Tensor | null): boolean {
  backendOf(op, source ? [t, source] : [t]);
  if (!context.gradEnabled) return false;
  if (t.requiresGrad && !t.node) {
    throw new Error(`${op}: a leaf tensor that requires grad (a parameter) cannot change in place while gradients are recorded, as in PyTorch; run it inside noGrad(() => ...), as optimisers do`);
  }
  const recorded = t.requiresGrad || source?.requiresGrad === true;
  if (recorded && t.base) {
    throw new Error(`${op}: in-place changes to a view (reshape, permute, narrow, ...) cannot be recorded for autograd yet; use the out-of-place op (y = y.${op.slice(0, -1)}(...))`);
  }
  return recorded;
}

/** After the change: bump the version, and record it if needed (the old node stays with the ops that used t). */
function finish(op: string, t: Tensor, recorded: boolean, source: Tensor | null, grad: (dy: Tensor) => (Tensor | null)[], saves: number[] = []): Tensor {
  t.storage.version++;
  if (recorded) {
    const inputs = source ? [source] : [];
    // The changed tensor is not among `inputs` (it would be its own input when the graph is drawn).
    t.rebase(new Node(op, inputs, [t.gradEdge(), ...inputs.map((s) => s.gradEdge())], grad, { savesNumbers: saves.length > 0 }));
  }
  return t;
}

/** Checks that `source` broadcasts to t's shape exactly (PyTorch's rule for in-place ops). */
function checkBroadcast(op: string, t: Tensor, source: Tensor): void {
  const shape = broadcastShapes(t.shape, source.shape);
  if (!shape || !sameShape(shape, t.shape)) {
    throw new ShapeError(`${op}: a source of shape ${formatShape(source.shape)} does not broadcast to ${formatShape(t.shape)}, the shape of the tensor changed in place`);
  }
}

/**
 * Stores `values` (any layout, broadcasting to t's shape, t's dtype) in t's elements, wherever they lie: a view
 * is written through to the storage it shares.
 */
function store(t: Tensor, values: Tensor): void {
  if (t.isContiguous && values.isContiguous && sameShape(values.shape, t.shape)) t.backend.copy(values, t, t.size);
  else copyLayout(t.backend, t.shape, values, broadcastStrides(values.shape, values.strides, t.shape), t, t.strides);
}

/** A zero gradient shaped like dy, for values an in-place op overwrote (PyTorch gives zeros, not none). */
function zerosLike(dy: Tensor): Tensor {
  const z = allocate(dy.backend, dy.shape, 'float32');
  dy.backend.fill(z, z.size, 0);
  return z;
}

/** t += alpha * other (other a tensor that broadcasts to t's shape, or a number). */
export function add_(t: Tensor, other: Operand, alpha = 1): Tensor {
  return addScaled('add_', t, other, alpha);
}

/** t -= alpha * other. */
export function sub_(t: Tensor, other: Operand, alpha = 1): Tensor {
  if (typeof alpha !== 'number') throw new TypeError(`sub_: alpha must be a number, got ${typeof alpha}`);
  return addScaled('sub_', t, other, -alpha);
}

function addScaled(op: string, t: Tensor, other: Operand, alpha: number): Tensor {
  checkOperand(op, other);
  if (typeof alpha !== 'number') throw new TypeError(`${op}: alpha must be a number, got ${typeof alpha}`);
  const source = typeof other === 'number' ? null : other;
  const recorded = begin(op, t, source);
  if (source) checkBroadcast(op, t, source);
  const backend = t.backend;
  if (t.dtype === 'int32') {
    if (!Number.isInteger(alpha) || (typeof other === 'number' ? !Number.isInteger(other) : other.dtype !== 'int32')) {
      throw new DTypeError(`${op}: the result is float32 and cannot be stored in the int32 tensor changed in place (as in PyTorch): use an out-of-place op`);
    }
    const sum = elementwise(op, t, other, t.shape, 'int32', (x, y) => (x + Math.imul(alpha, y)) | 0);
    store(t, sum);
    sum.dispose();
  } else if (t.isContiguous && typeof other === 'number') backend.unary('shift', t.size, t, t, alpha * other);
  else if (t.isContiguous && other instanceof Tensor && other.isContiguous && other.dtype === 'float32' && sameShape(other.shape, t.shape)) {
    backend.axpby(t.size, 1, t, alpha, other, t);
  } else {
    // A view, a broadcast or an int32 source: the sum out of place, then stored into t's elements.
    const sum = noGrad(() => add(t, typeof other === 'number' ? alpha * other : alpha === 1 ? other : mul(other, alpha)));
    store(t, sum);
    sum.dispose();
  }
  const [otherShape, otherGrad] = [source?.shape ?? [], source?.requiresGrad === true];
  return finish(op, t, recorded, source, (dy) => [dy, otherGrad ? sumTo(alpha === 1 ? dy : dy.mul(alpha), otherShape) : null]);
}

/** t *= factor. */
export function mul_(t: Tensor, factor: number): Tensor {
  if (typeof factor !== 'number') throw new TypeError(`mul_: the factor must be a number, got ${typeof factor}`);
  const recorded = begin('mul_', t, null);
  if (t.dtype === 'int32' && !Number.isInteger(factor)) {
    throw new DTypeError(`mul_: the result of an int32 tensor times ${factor} is float32 and cannot be stored in it (as in PyTorch)`);
  }
  if (t.isContiguous && t.dtype === 'float32') t.backend.unary('scale', t.size, t, t, factor);
  else {
    const product = noGrad(() => mul(t, factor));
    store(t, product);
    product.dispose();
  }
  // As PyTorch, the factor counts as saved: a second backward through it needs retainGraph.
  return finish('mul_', t, recorded, null, (dy) => [dy.mul(factor)], [factor]);
}

/** Copies src's values into t: src broadcasts to t's shape, and float32 values stored in int32 are truncated. */
export function copy_(t: Tensor, src: Tensor): Tensor {
  checkTensor('copy_', src, 'the source');
  const recorded = begin('copy_', t, src);
  checkBroadcast('copy_', t, src);
  const converted = src.dtype === t.dtype ? src : to(src, t.dtype);
  store(t, converted);
  if (converted !== src) converted.dispose();
  const [srcShape, srcGrad] = [src.shape, src.requiresGrad];
  return finish('copy_', t, recorded, src, (dy) => [zerosLike(dy), srcGrad ? sumTo(dy, srcShape) : null]);
}

/** Sets every element to value (truncated toward zero in an int32 tensor, as PyTorch). */
export function fill_(t: Tensor, value: number): Tensor {
  if (typeof value !== 'number') throw new TypeError(`fill_: the value must be a number, got ${describeValue(value)}`);
  const recorded = begin('fill_', t, null);
  if (t.dtype === 'int32' && !(Math.trunc(value) === (Math.trunc(value) | 0))) {
    throw new RangeError(`fill_: ${value} does not fit in the int32 tensor`);
  }
  const v = t.dtype === 'int32' ? Math.trunc(value) : value;
  if (t.isContiguous) t.backend.fill(t, t.size, v);
  else {
    const one = allocate(t.backend, [], t.dtype);
    t.backend.fill(one, 1, v);
    store(t, one); // broadcast from one element
    one.dispose();
  }
  return finish('fill_', t, recorded, null, (dy) => [zerosLike(dy)]);
}
