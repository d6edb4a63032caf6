// Reordering axes, as views (no copy): permute, and transpose of two axes (the last two by default).
import { defineOp } from '../op';
import { ShapeError } from '../errors';
import { formatShape, normalizeAxis } from '../shape';
import { backendOf, type Tensor } from '../tensor';
import { view } from './internal/view';

/** The axes in the order given: y.shape[i] = x.shape[axes[i]]. Backward permutes the gradient back. */
export const permute = defineOp({ name: 'permute', gradient: 'recorded', kernels: [] }, (x: Tensor, axes: readonly number[]): Tensor => {
  backendOf('permute', [x]);
  if (!Array.isArray(axes)) throw new TypeError(`permute: axes must be an array of axis numbers, got ${typeof axes}`);
  const order = axes.map((a: number) => normalizeAxis(a, x.rank, 'permute'));
  if (order.length !== x.rank || new Set(order).size !== x.rank) {
    throw new ShapeError(`permute: ${formatShape(axes)} is not an order of the ${x.rank} axes of a ${formatShape(x.shape)} tensor`);
  }
  const inverse = order.map((_, i) => order.indexOf(i));
  return view(x, 'permute', order.map((i) => x.shape[i]!), order.map((i) => x.strides[i]!), x.offset, (dy) => [permute(dy, inverse)], { axes: order });
});

/** Axes dim0 and dim1 swapped (the last two by default; a 0-d or 1-D tensor is its own transpose then). */
export const transpose = defineOp({ name: 'transpose', gradient: 'recorded', kernels: [] }, (x: Tensor, dim0?: number, dim1?: number): Tensor => {
  backendOf('transpose', [x]);
  if (dim0 === undefined && dim1 === undefined && x.rank < 2) return view(x, 'transpose', x.shape, x.strides, x.offset, (dy) => [dy]);
  const [a, b] = [normalizeAxis(dim0 ?? -2, x.rank, 'transpose'), normalizeAxis(dim1 ?? -1, x.rank, 'transpose')];
  const order = x.shape.map((_, i) => (i === a ? b : i === b ? a : i));
  const [shape, strides] = [order.map((i) => x.shape[i]!), order.map((i) => x.strides[i]!)];
  return view(x, 'transpose', shape, strides, x.offset, (dy) => [transpose(dy, a, b)], { dim0: a, dim1: b });
});
