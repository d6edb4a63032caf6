import { defineOp } from '../op';
import { checkOptions } from '../options';
import { allocate, record, type Tensor } from '../tensor';
import { floatInputs } from './internal/common';
import { windowOf } from './internal/window';
import { contiguous } from './contiguous';

export interface UnfoldOptions {
  stride?: number | [number, number];
  padding?: number | [number, number];
  dilation?: number | [number, number];
}

/**
 * The sliding windows of x [N, C, H, W] as columns (PyTorch's F.unfold, zero padding): [N, C kh kw, L], L the window
 * positions, row (c kh + i) kw + j. A convolution is then one matrix product, and pooling a reduction over axis 1.
 * Backward sums each column element back where it was taken from (F.fold).
 */
export const unfold = defineOp({ name: 'unfold', gradient: 'recorded', kernels: ['im2col', 'col2im'] }, (input: Tensor, kernelSize: number | [number, number], options: UnfoldOptions = {}): Tensor => {
  const backend = floatInputs('unfold', [input]);
  checkOptions('unfold', options, { stride: undefined, padding: undefined, dilation: undefined });
  const { stride = 1, padding = 0, dilation = 1 } = options;
  const { g, outH, outW } = windowOf('unfold', input, { kernelSize, stride, padding, dilation });
  const x = contiguous(input);
  const images = x.shape[0]!;
  const out = allocate(backend, [images, g.channels * g.kh * g.kw, outH * outW], 'float32');
  if (out.size > 0) backend.im2col(images, g, x, out);
  const shape = x.shape;
  return record(out, 'unfold', [x], (dy) => {
    const dx = allocate(backend, shape, 'float32');
    if (dx.size > 0) backend.col2im(images, g, contiguous(dy), dx);
    return [dx];
  }, { params: { kernelSize, stride, padding, dilation } });
});
