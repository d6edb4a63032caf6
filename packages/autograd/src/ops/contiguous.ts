import { defineOp } from '../op';
import { backendOf, record, type Tensor } from '../tensor';
import { gather } from './internal/copy';

/** x with contiguous data: x itself when it is, else a copy that gradients pass straight through. */
export const contiguous = defineOp({ name: 'contiguous', gradient: 'recorded', kernels: ['copyStrided'] }, (x: Tensor): Tensor => {
  if (x.isContiguous) return x;
  backendOf('contiguous', [x]);
  return record(gather(x), 'contiguous', [x], (dy) => [dy]);
});
