import type { UpdateKind } from './backend';
import { DTypeError, ShapeError } from './errors';
import { formatShape } from './shape';
import type { Tensor } from './tensor';

/**
 * Runs one fused optimiser update kernel in place over a parameter, its gradient and its state buffers
 * (for @backprop/optim). Every tensor must be float32 with the parameter's size; scalars follow the kernel's
 * signature in @backprop/kernels' assembly/optim.ts.
 */
export function fusedUpdate(kind: UpdateKind, tensors: readonly Tensor[], scalars: readonly number[]): void {
  const param = tensors[0]!;
  for (const t of tensors) {
    t.live(kind);
    if (t.dtype !== 'float32') throw new DTypeError(`${kind}: optimiser buffers must be float32, got ${t.dtype}`);
    if (t.size !== param.size) throw new ShapeError(`${kind}: buffer ${formatShape(t.shape)} does not match the parameter ${formatShape(param.shape)}`);
    if (t.backend !== param.backend) throw new Error(`${kind}: buffers live on different backends`);
  }
  param.backend.update(kind, param.size, tensors, scalars);
  // Changed in place: a backward that saved the old parameter values must refuse to run (as in PyTorch).
  for (const t of tensors) t.storage.version++;
}
