// Shapes without moving data: reshape and flatten (views of contiguous data; a strided view is copied first,
// as PyTorch's reshape does), squeeze and unsqueeze (views of anything).
import { defineOp } from '../op';
import { ShapeError } from '../errors';
import { contiguousStrides } from '../layout';
import { formatShape, normalizeAxis, sizeOf, type Shape } from '../shape';
import { backendOf, type Tensor } from '../tensor';
import { contiguous } from './contiguous';
import { view } from './internal/view';

/** The target shape with one -1 inferred; throws naming both shapes when the sizes differ. */
function resolve(from: Tensor, shape: Shape): number[] {
  const unknown = shape.filter((d) => d === -1).length;
  if (unknown > 1 || shape.some((d) => !Number.isInteger(d) || d < -1)) {
    throw new ShapeError(`reshape: invalid shape ${JSON.stringify(shape)} (dimensions are non-negative integers, at most one -1)`);
  }
  const known = sizeOf(shape.filter((d) => d !== -1));
  const out = shape.map((d) => (d === -1 ? (known === 0 ? 0 : from.size / known) : d));
  if (sizeOf(out) !== from.size || out.some((d) => !Number.isInteger(d))) {
    throw new ShapeError(`reshape: cannot reshape ${formatShape(from.shape)} (${from.size} elements) into ${formatShape(shape)}`);
  }
  return out;
}

/** The same elements with another shape: a view of contiguous data (a strided view is made contiguous first). */
export const reshape = defineOp({ name: 'reshape', gradient: 'recorded', kernels: [] }, (x: Tensor, shape: Shape): Tensor => {
  backendOf('reshape', [x]);
  if (!Array.isArray(shape)) throw new TypeError(`reshape: the shape must be an array of numbers, got ${typeof shape}`);
  const target = resolve(x, shape);
  const dense = contiguous(x);
  const from = x.shape;
  return view(dense, 'reshape', target, contiguousStrides(target), dense.offset, (dy) => [dy.reshape(from)], { shape: target });
});

/** Axes startDim..endDim merged into one (a reshape). */
export const flatten = defineOp({ name: 'flatten', gradient: 'composite', kernels: [] }, (x: Tensor, startDim = 0, endDim = -1): Tensor => {
  if (x.live('flatten').rank === 0) return reshape(x, [1]);
  const [s, e] = [normalizeAxis(startDim, x.rank, 'flatten'), normalizeAxis(endDim, x.rank, 'flatten')];
  if (s > e) throw new RangeError(`flatten: startDim ${startDim} comes after endDim ${endDim} for a ${formatShape(x.shape)} tensor`);
  return reshape(x, [...x.shape.slice(0, s), sizeOf(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)]);
});

/** A new axis of size 1 at `axis` (-1: last). */
export const unsqueeze = defineOp({ name: 'unsqueeze', gradient: 'recorded', kernels: [] }, (x: Tensor, axis: number): Tensor => {
  backendOf('unsqueeze', [x]);
  const a = normalizeAxis(axis, x.rank + 1, 'unsqueeze');
  const shape = [...x.shape.slice(0, a), 1, ...x.shape.slice(a)];
  const strides = [...x.strides.slice(0, a), a < x.rank ? x.strides[a]! * x.shape[a]! : 1, ...x.strides.slice(a)];
  const from = x.shape;
  return view(x, 'unsqueeze', shape, strides, x.offset, (dy) => [dy.reshape(from)], { axis: a });
});

/** Without the axes of size 1 (only `axis`, when given; as PyTorch, an axis of another size is left alone). */
export const squeeze = defineOp({ name: 'squeeze', gradient: 'recorded', kernels: [] }, (x: Tensor, axis?: number): Tensor => {
  backendOf('squeeze', [x]);
  const only = axis === undefined ? undefined : normalizeAxis(axis, x.rank, 'squeeze');
  const keep = x.shape.map((d, i) => d !== 1 || (only !== undefined && i !== only));
  const from = x.shape;
  return view(x, 'squeeze', x.shape.filter((_, i) => keep[i]), x.strides.filter((_, i) => keep[i]), x.offset, (dy) => [dy.reshape(from)], axis === undefined ? {} : { axis: only });
});
