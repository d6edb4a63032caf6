import { defineOp } from '../op';
import { ShapeError } from '../errors';
import { formatShape } from '../shape';
import { backendOf, type Tensor } from '../tensor';
import { sumTo } from './internal/common';
import { view } from './internal/view';

/**
 * x broadcast to `shape` as a view (stride 0 along the expanded axes, no copy), as PyTorch's expand: axes of size
 * 1 grow, new axes may lead, -1 keeps a size. Backward sums the gradient over what was expanded.
 */
export const expand = defineOp({ name: 'expand', gradient: 'recorded', kernels: [] }, (x: Tensor, shape: readonly number[]): Tensor => {
  backendOf('expand', [x]);
  if (!Array.isArray(shape)) throw new TypeError(`expand: the shape must be an array of numbers, got ${typeof shape}`);
  const lead = shape.length - x.rank;
  const target = shape.map((d: number, i) => (d === -1 && i >= lead ? x.shape[i - lead]! : d));
  const bad = lead < 0 || target.some((d, i) => !Number.isInteger(d) || d < 0 || (i >= lead && x.shape[i - lead] !== 1 && x.shape[i - lead] !== d));
  if (bad) throw new ShapeError(`expand: a ${formatShape(x.shape)} tensor cannot expand to ${formatShape(shape)} (only axes of size 1 grow, and new axes lead)`);
  const strides = target.map((d, i) => (i < lead || (x.shape[i - lead] === 1 && d !== 1) ? 0 : x.strides[i - lead]!));
  const from = x.shape;
  return view(x, 'expand', target, strides, x.offset, (dy) => [sumTo(dy, from)], { shape: target });
});
