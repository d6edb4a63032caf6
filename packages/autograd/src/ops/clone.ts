import { defineOp } from '../op';
import { backendOf, record, type Tensor } from '../tensor';
import { gather } from './internal/copy';

/** A contiguous copy with its own storage; the gradient passes straight through (PyTorch's clone). */
export const clone = defineOp({ name: 'clone', gradient: 'recorded', kernels: ['copyStrided'] }, (x: Tensor): Tensor => {
  backendOf('clone', [x]);
  return record(gather(x), 'clone', [x], (dy) => [dy]);
});
