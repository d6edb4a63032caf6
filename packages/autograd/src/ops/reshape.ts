import { ShapeError } from '../errors';
import { formatShape, sizeOf, type Shape } from '../shape';
import { record, Tensor } from '../tensor';
import { floatInputs } from './common';

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
  if (x.dtype === 'float32') floatInputs('reshape', [x]);
  else x.live('reshape');
  const target = resolve(x, shape);
  const out = new Tensor(x.storage, x.offset, target, x.dtype, null, true);
  return record(out, 'reshape', [x], (dy) => [dy.reshape(x.shape)], { shape: target });
}
