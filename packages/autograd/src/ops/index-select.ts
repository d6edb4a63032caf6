import { defineOp } from '../op';
import { ShapeError } from '../errors';
import { normalizeAxis, sizeOf } from '../shape';
import { allocate, backendOf, record, type Tensor } from '../tensor';
import { at } from './internal/common';
import { contiguous } from './contiguous';
import { transpose } from './permute';

/**
 * The entries `indices` of x along `axis` (rows by default), in that order (PyTorch's index_select); repeats allowed.
 * Backward adds each row's gradient back into its source row.
 */
export const indexSelect = defineOp({ name: 'indexSelect', gradient: 'recorded', kernels: ['copy', 'axpby'] }, (input: Tensor, indices: ArrayLike<number>, axis = 0): Tensor => {
  const backend = backendOf('indexSelect', [input]);
  if (input.rank === 0) throw new ShapeError('indexSelect: cannot index a 0-d tensor');
  // Another axis is axis 0 of a transposed view, transposed back.
  const a = normalizeAxis(axis, input.rank, 'indexSelect');
  if (a !== 0) return transpose(indexSelect(transpose(input, 0, a), indices), 0, a);
  const x = contiguous(input);
  const rows = x.shape[0]!;
  const rowSize = sizeOf(x.shape.slice(1));
  if (indices === null || typeof indices !== 'object' || typeof indices.length !== 'number') {
    throw new TypeError(`indexSelect: indices must be an array of row numbers, got ${indices === null ? 'null' : typeof indices}`);
  }
  // As PyTorch's index_select, negative indices are out of range (they do not count from the end).
  const picked = Array.from(indices, (v, i) => {
    if (!Number.isInteger(v) || v < 0 || v >= rows) throw new RangeError(`indexSelect: index ${v} at position ${i} is out of range for ${rows} rows (0 <= index < ${rows})`);
    return v;
  });
  const out = allocate(backend, [picked.length, ...x.shape.slice(1)], x.dtype);
  picked.forEach((r, i) => backend.copy(at(x, r * rowSize), at(out, i * rowSize), rowSize));
  const shape = x.shape;
  return record(out, 'indexSelect', [x], (dy) => {
    const dx = allocate(backend, shape, 'float32');
    backend.fill(dx, dx.size, 0);
    picked.forEach((r, i) => backend.axpby(rowSize, 1, at(dx, r * rowSize), 1, at(dy, i * rowSize), at(dx, r * rowSize)));
    return [dx];
  });
});
