import { backendOf, record, type Tensor } from '../tensor';
import { gather } from './contiguous';

/** A contiguous copy with its own storage; the gradient passes straight through (PyTorch's clone). */
export function clone(x: Tensor): Tensor {
  backendOf('clone', [x]);
  return record(gather(x), 'clone', [x], (dy) => [dy]);
}
