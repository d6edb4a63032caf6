// Ranges of one axis, as views (no copy): narrow, and slice (rows, with Python's clamping).
import { defineOp } from '../op';
import { ShapeError } from '../errors';
import { formatShape, normalizeAxis } from '../shape';
import { allocate, backendOf, type Tensor } from '../tensor';
import { scatter } from './internal/copy';
import { view } from './internal/view';

/** Elements start..start+length along `axis` (PyTorch's narrow). Backward puts the gradient back in place. */
export const narrow = defineOp({ name: 'narrow', gradient: 'recorded', kernels: [] }, (x: Tensor, axis: number, start: number, length: number): Tensor => {
  backendOf('narrow', [x]);
  const a = normalizeAxis(axis, x.rank, 'narrow');
  const size = x.shape[a]!;
  const s = Number.isInteger(start) && start < 0 ? start + size : start;
  if (!Number.isInteger(s) || !Number.isInteger(length) || s < 0 || length < 0 || s + length > size) {
    throw new RangeError(`narrow: start ${start} and length ${length} do not fit axis ${a} of a ${formatShape(x.shape)} tensor`);
  }
  const shape = x.shape.map((d, i) => (i === a ? length : d));
  const [from, backend] = [x.shape, x.backend];
  return view(x, 'narrow', shape, x.strides, x.offset + s * x.strides[a]!, (dy) => {
    const dx = allocate(backend, from, 'float32');
    backend.fill(dx, dx.size, 0);
    scatter(dy, narrow(dx, a, s, length));
    return [dx];
  }, { axis: a, start: s, length });
});

/** Rows start..end (exclusive) along the first axis, as Python slices them (negatives count from the end, clamped). */
export const slice = defineOp({ name: 'slice', gradient: 'composite', kernels: [] }, (x: Tensor, start: number, end?: number): Tensor => {
  if (x.live('slice').rank === 0) throw new ShapeError('slice: cannot slice a 0-d tensor');
  const rows = x.shape[0]!;
  const bound = (value: number): number => {
    if (!Number.isInteger(value)) throw new RangeError(`slice: indices must be integers, got ${value}`);
    return Math.min(rows, Math.max(0, value < 0 ? value + rows : value));
  };
  const s = bound(start);
  return narrow(x, 0, s, Math.max(s, bound(end ?? rows)) - s);
});
