import { ShapeError } from '../errors';
import { formatShape } from '../shape';
import { allocate, backendOf, record, type Tensor } from '../tensor';
import { reshape } from './reshape';

/** The transpose of a 2-D tensor (a copy; int32 too); 0-D and 1-D tensors are their own transpose. */
export function transpose(x: Tensor): Tensor {
  const backend = backendOf('transpose', [x]);
  if (x.rank < 2) return reshape(x, x.shape);
  if (x.rank > 2) throw new ShapeError(`transpose: expected a 0-D, 1-D or 2-D tensor, got shape ${formatShape(x.shape)}`);
  const [rows, cols] = [x.shape[0]!, x.shape[1]!];
  // The kernel moves 32-bit words, so it serves int32 as well.
  const out = allocate(backend, [cols, rows], x.dtype);
  backend.transpose(rows, cols, x, out);
  return record(out, 'transpose', [x], (dy) => [dy.transpose()]);
}
