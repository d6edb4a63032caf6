import { ShapeError } from '../errors';
import { sizeOf } from '../shape';
import { allocate, record, type Tensor } from '../tensor';
import { at } from './common';

/**
 * The rows `indices` of x along axis 0, in that order (PyTorch's index_select(0, indices)); repeats allowed.
 * Backward adds each row's gradient back into its source row.
 */
export function indexSelect(x: Tensor, indices: ArrayLike<number>): Tensor {
  x.live('indexSelect');
  if (x.rank === 0) throw new ShapeError('indexSelect: cannot index a 0-d tensor');
  const rows = x.shape[0]!;
  const rowSize = sizeOf(x.shape.slice(1));
  const picked = Array.from(indices, (v, i) => {
    if (!Number.isInteger(v) || v < -rows || v >= rows) throw new RangeError(`indexSelect: index ${v} at position ${i} is out of range for ${rows} rows`);
    return v < 0 ? v + rows : v;
  });
  const backend = x.backend;
  const out = allocate(backend, [picked.length, ...x.shape.slice(1)], x.dtype, true);
  picked.forEach((r, i) => backend.copy(at(x, r * rowSize), at(out, i * rowSize), rowSize));
  return record(out, 'indexSelect', [x], (dy) => {
    const dx = allocate(backend, x.shape, 'float32', true);
    backend.fill(dx, dx.size, 0);
    picked.forEach((r, i) => backend.axpby(rowSize, 1, at(dx, r * rowSize), 1, at(dy, i * rowSize), at(dx, r * rowSize)));
    return [dx];
  });
}
