import { ShapeError } from '../errors';
import { formatShape, sizeOf, type Shape } from '../shape';
import { backendOf, record, Tensor } from '../tensor';

/** The target shape with one -1 inferred; throws naming both shapes when the sizes differ. */
function resolve(from: Tensor, shape: Shape): number[] {
  const unknown = shape.filter((d) => d === -1).length;
  if (unknown > 1 || shape.some((d) => !Number.isInteger(d) || d < -1)) {
    throw new ShapeError(`reshape: invalid shape ${formatShape(shape)} (dimensions are non-negative integers, at most one -1)`);
  }
  const known = sizeOf(shape.filter((d) => d !== -1));
  const out = shape.map((d) => (d === -1 ? (known === 0 ? 0 : from.size / known) : d));
  if (sizeOf(out) !== from.size || out.some((d) => !Number.isInteger(d))) {
    throw new ShapeError(`reshape: cannot reshape ${formatShape(from.shape)} (${from.size} elements) into ${formatShape(shape)}`);
  }
  return out;
}

/** The same data with another shape: a view sharing storage, no copy. */
export function reshape(x: Tensor, shape: Shape): Tensor {
  backendOf('reshape', [x]);
  if (!Array.isArray(shape)) throw new TypeError(`reshape: the shape must be an array of numbers, got ${typeof shape}`);
  const target = resolve(x, shape);
  const out = new Tensor(x.storage, x.offset, target, x.dtype, x.base ?? x);
  const from = x.shape;
  return record(out, 'reshape', [x], (dy) => [dy.reshape(from)], { viewOf: x, params: { shape: target } });
}
