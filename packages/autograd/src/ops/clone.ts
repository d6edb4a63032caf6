import { allocate, backendOf, record, type Tensor } from '../tensor';

/** A copy with its own storage; the gradient passes straight through (PyTorch's clone). */
export function clone(x: Tensor): Tensor {
  const backend = backendOf('clone', [x]);
  const out = allocate(backend, x.shape, x.dtype);
  backend.copy(x, out, x.size);
  return record(out, 'clone', [x], (dy) => [dy]);
}
