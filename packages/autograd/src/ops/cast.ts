import { defineOp } from '../op';
import { DTypeError } from '../errors';
import type { DType } from '../dtype';
import { allocate, type Tensor } from '../tensor';

/**
 * x as another dtype (PyTorch's .to(dtype), .float(), .int()): int32 labels as float32 targets, or floats
 * truncated toward zero to int32. A cast is not differentiable, so the result is cut from the graph.
 */
export const to = defineOp({ name: 'to', gradient: 'none', kernels: [] }, (x: Tensor, dtype: DType): Tensor => {
  x.live('to');
  if (dtype !== 'float32' && dtype !== 'int32') throw new TypeError(`to: unknown dtype '${String(dtype)}' (float32 or int32)`);
  if (x.dtype === dtype) return x;
  const values = x.values();
  if (dtype === 'int32') {
    const bad = values.findIndex((v) => !Number.isFinite(v) || v <= -(2 ** 31) - 1 || v >= 2 ** 31);
    if (bad >= 0) throw new DTypeError(`to: element ${bad} (${values[bad]}) does not fit in int32`);
  }
  const out = allocate(x.backend, x.shape, dtype);
  if (values.length > 0) x.backend.write(out, dtype === 'int32' ? Int32Array.from(values, Math.trunc) : values);
  return out;
});
