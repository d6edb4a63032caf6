import { ShapeError } from '../errors';
import { sizeOf } from '../shape';
import { allocate, backendOf, record, Tensor } from '../tensor';
import { at } from './common';

function bound(op: string, value: number, length: number): number {
  if (!Number.isInteger(value)) throw new RangeError(`${op}: indices must be integers, got ${value}`);
  // Python's rules: negative counts from the end, out-of-range clamps.
  return Math.min(length, Math.max(0, value < 0 ? value + length : value));
}

/** Rows start..end (exclusive) along the first axis: a view sharing storage. */
export function slice(x: Tensor, start: number, end?: number): Tensor {
  backendOf('slice', [x]);
  if (x.rank === 0) throw new ShapeError('slice: cannot slice a 0-d tensor');
  const rows = x.shape[0]!;
  const s = bound('slice', start, rows);
  const e = Math.max(s, bound('slice', end ?? rows, rows));
  const rowSize = sizeOf(x.shape.slice(1));
  const out = new Tensor(x.storage, x.offset + s * rowSize, [e - s, ...x.shape.slice(1)], x.dtype, x.base ?? x);
  const [backend, shape] = [x.backend, x.shape];
  return record(out, 'slice', [x], (dy) => {
    const dx = allocate(backend, shape, 'float32');
    backend.fill(dx, dx.size, 0);
    backend.copy(dy, at(dx, s * rowSize), dy.size);
    return [dx];
  }, { viewOf: x, params: { start: s, end: e } });
}
