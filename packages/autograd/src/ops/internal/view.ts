import type { Shape } from '../../shape';
import { record, Tensor } from '../../tensor';
import type { BackwardFn } from '../../node';

/** A view of x (no copy): x's storage read with another shape, strides and offset; recorded with its backward. */
export function view(x: Tensor, op: string, shape: Shape, strides: readonly number[], offset: number, grad: BackwardFn, params?: Record<string, unknown>): Tensor {
  const out = new Tensor(x.storage, offset, shape, x.dtype, x.base ?? x, strides);
  return record(out, op, [x], grad, { viewOf: x, ...(params ? { params } : {}) });
}
