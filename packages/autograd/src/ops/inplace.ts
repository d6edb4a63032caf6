// In-place updates, PyTorch's trailing-underscore methods: for parameter updates and initialisers, outside
// the tape. Like PyTorch, they refuse a tensor that requires grad while grad mode is on (wrap them in noGrad).
import { ops as codes } from '@backprop/kernels';
import { context } from '../context';
import { ShapeError } from '../errors';
import { formatShape, sameShape } from '../shape';
import type { Tensor } from '../tensor';
import { broadcastTo, floatInputs } from './common';

function writable(op: string, t: Tensor): void {
  floatInputs(op, [t]);
  if (context.gradEnabled && t.requiresGrad) {
    throw new Error(`${op}: an in-place update of a tensor that requires grad would corrupt the tape; run it inside noGrad(() => ...)`);
  }
}

/** t += alpha * other (other a tensor broadcastable to t's shape, or a number). */
export function add_(t: Tensor, other: Tensor | number, alpha = 1): Tensor {
  writable('add_', t);
  if (typeof other === 'number') {
    t.backend.unary(codes.SHIFT, t.size, t, t, alpha * other);
    return t;
  }
  floatInputs('add_', [t, other]);
  const source = broadcastTo(other, t.shape);
  if (!sameShape(source.shape, t.shape)) throw new ShapeError(`add_: cannot broadcast ${formatShape(other.shape)} into ${formatShape(t.shape)}`);
  t.backend.axpby(t.size, 1, t, alpha, source, t);
  if (source !== other) source.dispose();
  return t;
}

/** t -= alpha * other. */
export function sub_(t: Tensor, other: Tensor | number, alpha = 1): Tensor {
  return add_(t, other, -alpha);
}

/** t *= factor. */
export function mul_(t: Tensor, factor: number): Tensor {
  writable('mul_', t);
  t.backend.unary(codes.SCALE, t.size, t, t, factor);
  return t;
}

/** Copies src's values into t (same number of elements). */
export function copy_(t: Tensor, src: Tensor): Tensor {
  writable('copy_', t);
  floatInputs('copy_', [t, src]);
  if (src.size !== t.size) throw new ShapeError(`copy_: source ${formatShape(src.shape)} and destination ${formatShape(t.shape)} differ in size`);
  t.backend.copy(src, t, t.size);
  return t;
}

/** Sets every element to value. */
export function fill_(t: Tensor, value: number): Tensor {
  writable('fill_', t);
  t.backend.fill(t, t.size, value);
  return t;
}
