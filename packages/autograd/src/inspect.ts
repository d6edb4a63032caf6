// Scans of a tensor's values that stay in kernel memory: what checks of a whole dataset need, without copying
// it out (60,000 images are 188 MB of float32).
import { noGrad } from './context';
import { DTypeError } from './errors';
import { contiguous } from './ops/contiguous';
import { backendOf, type Tensor } from './tensor';

/** float32's largest finite value: [-FLOAT32_MAX, FLOAT32_MAX] holds every finite float32. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * The row-major index of x's first element outside [lo, hi] (NaN is outside any range), or -1 when there is
 * none. firstOutside(x, -FLOAT32_MAX, FLOAT32_MAX) finds the first NaN or infinity.
 */
export function firstOutside(x: Tensor, lo: number, hi: number): number {
  if (x.dtype !== 'float32') throw new DTypeError(`firstOutside: expected a float32 tensor, got ${x.dtype}`);
  return noGrad(() => {
    const dense = contiguous(x.live('firstOutside'));
    // backendOf marks it in use: its values may have moved out of kernel memory, and come back for the scan.
    const index = backendOf('firstOutside', [dense]).firstOutside(dense.size, dense, lo, hi);
    if (dense !== x) dense.dispose();
    return index;
  });
}
