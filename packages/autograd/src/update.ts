import type { AnyUpdate, BuffersOf, CoefficientsOf } from '@backprop/kernels';
import { DTypeError, ShapeError } from './errors';
import { formatShape } from './shape';
import type { Tensor } from './tensor';

/**
 * Runs one fused optimiser update in place over a parameter, its gradient and its state, for @backprop/optim:
 * `update` is one of `updates` (@backprop/kernels' table), buffers and coefficients are records with its names
 * (so nothing can be passed in the wrong place). Every buffer must be a contiguous float32 tensor of the
 * parameter's size.
 */
export function fusedUpdate<U extends AnyUpdate>(update: U, buffers: Record<BuffersOf<U>, Tensor>, coefficients: CoefficientsOf<U>): void {
  const op = update.kernel;
  const named = buffers as Record<string, Tensor | undefined>;
  const param = named.param!;
  for (const name of update.buffers) {
    const t = named[name];
    if (!t) throw new TypeError(`${op}: the buffer '${name}' is missing`);
    t.live(op);
    if (t.dtype !== 'float32') throw new DTypeError(`${op}: optimiser buffers must be float32, got ${t.dtype} for '${name}'`);
    if (t.size !== param.size || !t.isContiguous) throw new ShapeError(`${op}: '${name}' ${formatShape(t.shape)} is not a contiguous buffer like the parameter ${formatShape(param.shape)}`);
    if (t.backend !== param.backend) throw new Error(`${op}: the buffers live on different backends`);
  }
  param.backend.update(update, param.size, buffers, coefficients);
  // Changed in place: a backward that saved the old parameter values must refuse to run (as in PyTorch).
  for (const name of update.buffers) named[name]!.storage.version++;
}
