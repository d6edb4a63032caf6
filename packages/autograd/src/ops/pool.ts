// 2-D pooling (PyTorch's F.max_pool2d, F.avg_pool2d and F.adaptive_avg_pool2d): x [N, C, H, W] -> [N, C, outH, outW].
import { defineOp } from '../op';
import { ShapeError } from '../errors';
import { checkOptions } from '../options';
import type { Window2d } from '@backprop/kernels';
import { allocate, record, type Tensor } from '../tensor';
import { floatInputs } from './internal/common';
import { pairOption, windowOf } from './internal/window';
import { contiguous } from './contiguous';
import { valuesLike } from './internal/constant';
import { pad } from './pad';
import { unfold } from './unfold';

export interface PoolOptions {
  /** The window's step: the window size by default (windows side by side). */
  stride?: number | [number, number];
  /** Padding on both sides, at most half the window (as PyTorch requires). */
  padding?: number | [number, number];
  /**
   * Round the output size up, not down (PyTorch's ceil_mode): a last window may run past the padded input's bottom
   * or right edge, if it starts inside the input or its top or left padding.
   */
  ceilMode?: boolean;
}

export interface MaxPoolOptions extends PoolOptions {
  dilation?: number | [number, number];
}

export interface AvgPoolOptions extends PoolOptions {
  /** Whether padding counts in the divisor of windows that reach into it (PyTorch's count_include_pad). */
  countIncludePad?: boolean;
}

/**
 * The windows of a pooling op, checked as PyTorch does, and how many rows and columns ceilMode's last windows
 * run past the padded input (0 in floor mode).
 */
function poolWindow(op: string, x: Tensor, kernelSize: unknown, options: MaxPoolOptions) {
  const { stride = kernelSize, padding = 0, dilation = 1, ceilMode = false } = options;
  const { g, outH, outW } = windowOf(op, x, { kernelSize, stride, padding, dilation });
  const { kh, kw, ph, pw } = g;
  if (2 * ph > kh || 2 * pw > kw) {
    throw new ShapeError(`${op}: padding must be at most half the window, got padding ${ph},${pw} for a ${kh}x${kw} window`);
  }
  if (!ceilMode) return { g, outH, outW, pastH: 0, pastW: 0 };
  const [ceilH, pastH] = ceilAxis(g.height, kh, g.sh, ph, g.dh);
  const [ceilW, pastW] = ceilAxis(g.width, kw, g.sw, pw, g.dw);
  return { g, outH: ceilH, outW: ceilW, pastH, pastW };
}

/** ceilMode along one axis: the number of windows, and how far the last runs past the padded input. */
function ceilAxis(size: number, k: number, stride: number, padding: number, dilation: number): [number, number] {
  const room = size + 2 * padding - dilation * (k - 1) - 1; // where the last window may start; >= 0 (windowOf checked)
  let windows = Math.ceil(room / stride) + 1;
  if ((windows - 1) * stride >= size + padding) windows--; // a window starting in the bottom padding is dropped
  return [windows, Math.max(0, (windows - 1) * stride - room)];
}

/**
 * The maximum of each window. Backward sends each gradient to the element its maximum came from (the first of
 * tied maxima; NaN wins), as PyTorch.
 */
export const maxPool2d = defineOp({ name: 'maxPool2d', gradient: 'recorded', kernels: ['maxPool2d', 'maxPool2dBackward'] }, (input: Tensor, kernelSize: number | [number, number], options: MaxPoolOptions = {}): Tensor => {
  const backend = floatInputs('maxPool2d', [input]);
  checkOptions('maxPool2d', options, { stride: undefined, padding: undefined, dilation: undefined, ceilMode: false });
  const { g, outH, outW, pastH, pastW } = poolWindow('maxPool2d', input, kernelSize, options);
  // ceilMode's last windows: the input grown by rows and columns that never win, then pooled in floor mode.
  if (pastH > 0 || pastW > 0) return maxPool2d(pad(input, [0, pastW, 0, pastH], { value: -Infinity }), kernelSize, { ...options, ceilMode: false });
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
  checkOptions('avgPool2d', options, { stride: undefined, padding: undefined, countIncludePad: true, ceilMode: false });
  const { stride = kernelSize, padding = 0, countIncludePad = true, ceilMode = false } = options;
  const { g, outH, outW, pastH, pastW } = poolWindow('avgPool2d', x, kernelSize, { stride, padding, ceilMode });
  const [images, channels] = x.shape as [number, number];
  // ceilMode's last windows: zeros past the input (never counted), then every channel pooled as an image of its
  // own in floor mode: columns [N C, kh kw, outH outW].
  const grown = pastH > 0 || pastW > 0 ? pad(x, [0, pastW, 0, pastH]) : x;
  const cols = unfold(grown.reshape([images * channels, 1, g.height + pastH, g.width + pastW]), [g.kh, g.kw], { stride, padding });
  // The whole window counts only where no ceilMode window runs past the padded input (nothing was grown).
  const pooled = countIncludePad && grown === x ? cols.mean(1) : cols.sum(1).div(valuesLike(x, windowCounts(g, outH, outW, countIncludePad), [outH * outW]));
  return pooled.reshape([images, channels, outH, outW]);
});

/**
 * How many elements of each window the mean divides by, as PyTorch: those inside the image, or with
 * countIncludePad those inside the padded image (never the part of ceilMode's last windows past it).
 */
function windowCounts(g: Window2d, outH: number, outW: number, countIncludePad: boolean): number[] {
  const inside = (o: number, s: number, p: number, k: number, size: number, counted = countIncludePad ? p : 0) =>
    Math.min(o * s - p + k, size + counted) - Math.max(o * s - p, -counted);
  const counts: number[] = [];
  for (let oy = 0; oy < outH; oy++) for (let ox = 0; ox < outW; ox++) counts.push(inside(oy, g.sh, g.ph, g.kh, g.height) * inside(ox, g.sw, g.pw, g.kw, g.width));
  return counts;
}

/**
 * The mean over outputSize windows that tile the input as evenly as they can (PyTorch's F.adaptive_avg_pool2d):
 * along an axis of n, window i covers [floor(i n / out), ceil((i + 1) n / out)). outputSize is n or [h, w], null
 * keeping the input's size; 1 is global average pooling.
 */
export const adaptiveAvgPool2d = defineOp({ name: 'adaptiveAvgPool2d', gradient: 'composite', kernels: [] }, (
  x: Tensor, outputSize: number | [number | null, number | null],
): Tensor => {
  floatInputs('adaptiveAvgPool2d', [x]);
  // A 1 x 1 window: the input checked as every pool's ([N, C, H, W], not empty).
  const { g: { height, width } } = windowOf('adaptiveAvgPool2d', x, { kernelSize: 1, stride: 1, padding: 0, dilation: 1 });
  // null keeps the input's size (an error about the other side shows the size it stands for).
  const sizes = Array.isArray(outputSize) ? outputSize.map((n, i) => n ?? [height, width][i]) : outputSize;
  const [outH, outW] = pairOption('adaptiveAvgPool2d', 'outputSize', sizes, 0);
  // Windows of one size, side by side: an average pool.
  if (height % outH === 0 && width % outW === 0) return avgPool2d(x, [height / outH, width / outW]);
  // Windows of two sizes, or overlapping: sums as products with 0/1 matrices (row i marks window i), then each
  // divided by its window's size, as PyTorch divides.
  const [rows, cols] = [adaptiveWindows(outH, height), adaptiveWindows(outW, width)];
  const sums = valuesLike(x, rows.marks, [outH, height]).matmul(x).matmul(valuesLike(x, cols.marks, [outW, width]).transpose());
  return sums.div(valuesLike(x, rows.sizes.flatMap((r) => cols.sizes.map((c) => r * c)), [outH, outW]));
});

/** adaptiveAvgPool2d's windows along an axis of n: [out, n] marks (1 inside window i on row i) and their sizes. */
function adaptiveWindows(out: number, n: number): { marks: number[]; sizes: number[] } {
  const marks: number[] = [];
  const sizes: number[] = [];
  for (let i = 0; i < out; i++) {
    const [start, end] = [Math.floor((i * n) / out), Math.ceil(((i + 1) * n) / out)];
    for (let j = 0; j < n; j++) marks.push(j >= start && j < end ? 1 : 0);
    sizes.push(end - start);
  }
  return { marks, sizes };
}
