import { ShapeError } from '../errors';
import { sizeOf } from '../shape';
import { allocate, record, Tensor } from '../tensor';
import { at } from './common';

function bound(op: string, value: number, length: number): number {
  if (!Number.isInteger(value)) throw new RangeError(`${op}: indices must be integers, got ${value}`);
  // Python's rules: negative counts from the end, out-of-range clamps.
  return Math.min(length, Math.max(0, value < 0 ? value + length : value));
}

/** Rows start..end (exclusive) along the first axis: a view sharing storage. */
export function slice(x: Tensor, start: number, end?: number): Tensor {
  x.live('slice');
  if (x.rank === 0) throw new ShapeError('slice: cannot slice a 0-d tensor');
  const rows = x.shape[0]!;
  const s = bound('slice', start, rows);
  const e = Math.max(s, bound('slice', end ?? rows, rows));
  const rowSize = sizeOf(x.shape.slice(1));
  const out = new Tensor(x.storage, x.offset + s * rowSize, [e - s, ...x.shape.slice(1)], x.dtype, null, true);
  return record(out, 'slice', [x], (dy) => {
    const dx = allocate(x.backend, x.shape, 'float32', true);
    x.backend.fill(dx, dx.size, 0);
    x.backend.copy(dy, at(dx, s * rowSize), dy.size);
    return [dx];
  }, { start: s, end: e });
}
