// 2-D pooling (PyTorch's F.max_pool2d and F.avg_pool2d, floor mode): x [N, C, H, W] -> [N, C, outH, outW].
import { defineOp } from '../op';
import { ShapeError } from '../errors';
import { checkOptions } from '../options';
import type { Window2d } from '@backprop/kernels';
import { allocate, record, type Tensor } from '../tensor';
import { floatInputs } from './internal/common';
import { windowOf } from './internal/window';
import { contiguous } from './contiguous';
import { valuesLike } from './internal/constant';
import { unfold } from './unfold';

export interface PoolOptions {
  /** The window's step: the window size by default (windows side by side). */
  stride?: number | [number, number];
  /** Padding on both sides, at most half the window (as PyTorch requires). */
  padding?: number | [number, number];
}

export interface MaxPoolOptions extends PoolOptions {
  dilation?: number | [number, number];
}

export interface AvgPoolOptions extends PoolOptions {
  /** Whether padding counts in the divisor of windows that reach into it (PyTorch's count_include_pad). */
  countIncludePad?: boolean;
}

/** The windows of a pooling op, checked as PyTorch does. */
function poolWindow(op: string, x: Tensor, kernelSize: unknown, options: MaxPoolOptions) {
  const { stride = kernelSize, padding = 0, dilation = 1 } = options;
  const window = windowOf(op, x, { kernelSize, stride, padding, dilation });
  const { kh, kw, ph, pw } = window.g;
  if (2 * ph > kh || 2 * pw > kw) {
    throw new ShapeError(`${op}: padding must be at most half the window, got padding ${ph},${pw} for a ${kh}x${kw} window`);
  }
  return window;
}

/**
 * The maximum of each window. Backward sends each gradient to the element its maximum came from (the first of
 * tied maxima; NaN wins), as PyTorch.
 */
export const maxPool2d = defineOp({ name: 'maxPool2d', gradient: 'recorded', kernels: ['maxPool2d', 'maxPool2dBackward'] }, (input: Tensor, kernelSize: number | [number, number], options: MaxPoolOptions = {}): Tensor => {
  const backend = floatInputs('maxPool2d', [input]);
  checkOptions('maxPool2d', options, { stride: undefined, padding: undefined, dilation: undefined });
  const { g, outH, outW } = poolWindow('maxPool2d', input, kernelSize, options);
  const x = contiguous(input);
  const images = x.shape[0]!;
  const shape = [images, g.channels, outH, outW];
  const out = allocate(backend, shape, 'float32');
  const indices = allocate(backend, shape, 'int32');
  if (out.size > 0) backend.maxPool2d(images, g, x, out, indices);
  const inputShape = x.shape;
  return record(out, 'maxPool2d', [x], (dy) => {
    const dx = allocate(backend, inputShape, 'float32');
    backend.maxPool2dBackward(images * g.channels, g.height * g.width, outH * outW, indices, contiguous(dy), dx);
    return [dx];
  }, { saves: [indices], params: { kernelSize, ...options } });
});

/** The mean of each window: over the whole window, padding included (the default), or over its part in the image. */
export const avgPool2d = defineOp({ name: 'avgPool2d', gradient: 'composite', kernels: [] }, (x: Tensor, kernelSize: number | [number, number], options: AvgPoolOptions = {}): Tensor => {
  floatInputs('avgPool2d', [x]);
  checkOptions('avgPool2d', options, { stride: undefined, padding: undefined, countIncludePad: true });
  const { stride = kernelSize, padding = 0, countIncludePad = true } = options;
  const { g, outH, outW } = poolWindow('avgPool2d', x, kernelSize, { stride, padding });
  const [images, channels] = x.shape as [number, number];
  // Every channel pooled as an image of its own: columns [N C, kh kw, outH outW].
  const cols = unfold(x.reshape([images * channels, 1, g.height, g.width]), [g.kh, g.kw], { stride, padding });
  const pooled = countIncludePad ? cols.mean(1) : cols.sum(1).div(valuesLike(x, insideCounts(g, outH, outW), [outH * outW]));
  return pooled.reshape([images, channels, outH, outW]);
});

/** How many elements of each window lie inside the image (not in the padding). */
function insideCounts(g: Window2d, outH: number, outW: number): number[] {
  const inside = (o: number, s: number, p: number, k: number, size: number) => Math.min(o * s - p + k, size) - Math.max(o * s - p, 0);
  const counts: number[] = [];
  for (let oy = 0; oy < outH; oy++) for (let ox = 0; ox < outW; ox++) counts.push(inside(oy, g.sh, g.ph, g.kh, g.height) * inside(ox, g.sw, g.pw, g.kw, g.width));
  return counts;
}
