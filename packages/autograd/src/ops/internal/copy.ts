// Copies between layouts. gather() collects a view's elements into fresh row-major storage, what most kernels
// read; an in-place change of a view scatters row-major values back into the view's elements, so it writes
// through to the tensor the view shares storage with.
import type { Backend, View } from '../../backend';
import { contiguousStrides, walk } from '../../layout';
import type { Shape } from '../../shape';
import { allocate, type Tensor } from '../../tensor';
import { at } from './common';

/** dst's elements = src's, in logical order, each side with its own strides (32-bit elements of either dtype). */
export function copyLayout(backend: Backend, shape: Shape, src: View, srcStrides: readonly number[], dst: View, dstStrides: readonly number[]): void {
  const w = walk(shape, [srcStrides, dstStrides]);
  for (const [s, d] of w.offsets) {
    backend.copyStrided(w.rows, w.cols, at(src, s!), w.rowStrides[0]!, w.colStrides[0]!, at(dst, d!), w.rowStrides[1]!, w.colStrides[1]!);
  }
}

/** A row-major copy of x's elements, not recorded on the tape (for reading a view's values). */
export function gather(x: Tensor): Tensor {
  const out = allocate(x.backend, x.shape, x.dtype);
  copyLayout(x.backend, x.shape, x, x.strides, out, out.strides);
  return out;
}

/** Writes row-major `src` into the elements of the view `dst` (any strides, the same shape). */
export function scatter(src: Tensor, dst: Tensor): void {
  copyLayout(dst.backend, dst.shape, src, contiguousStrides(src.shape), dst, dst.strides);
}
