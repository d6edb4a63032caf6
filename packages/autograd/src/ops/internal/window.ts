// The geometry of 2-D windows (convolution and pooling) from PyTorch-style options, checked: an option is n or
// [h, w]; the input is [N, C, H, W]; the (dilated) window fits the padded input.
import { windowOutput, type Window2d } from '@backprop/kernels';
import { describeValue, ShapeError } from '../../errors';
import { formatShape } from '../../shape';
import type { Tensor } from '../../tensor';

/**
 * A window option (kernelSize, stride, padding, dilation) as [h, w]: a number is used for both. Anything but
 * integers is a TypeError, an integer below `min` a RangeError, each naming the option.
 */
export function pairOption(owner: string, name: string, value: unknown, min: number): [number, number] {
  const values = typeof value === 'number' ? [value, value] : value;
  const shown = Array.isArray(value) ? JSON.stringify(value) : typeof value === 'number' ? String(value) : describeValue(value);
  if (!Array.isArray(values) || values.length !== 2 || values.some((v) => typeof v !== 'number' || !Number.isInteger(v))) {
    throw new TypeError(`${owner}: ${name} must be an integer or a pair [h, w] of integers, got ${shown}`);
  }
  if (values.some((v: number) => v < min)) throw new RangeError(`${owner}: ${name} must be at least ${min}, got ${shown}`);
  return values as [number, number];
}

/**
 * A convolution's padding option checked: [h, w], or 'same' (stride 1 only, as PyTorch); 'valid' is [0, 0].
 */
export function paddingOption(owner: string, padding: unknown, stride: unknown): [number, number] | 'same' {
  if (padding === 'valid') return [0, 0];
  if (padding !== 'same') {
    if (typeof padding === 'string') throw new TypeError(`${owner}: padding must be an integer, a pair [h, w], 'valid' or 'same', got the string '${padding}'`);
    return pairOption(owner, 'padding', padding, 0);
  }
  const [sh, sw] = pairOption(owner, 'stride', stride, 1);
  if (sh !== 1 || sw !== 1) throw new RangeError(`${owner}: padding 'same' needs stride 1 (as PyTorch), got stride ${sh},${sw}`);
  return 'same';
}

/**
 * PyTorch's padding='same' at stride 1: the output keeps the input's height and width. A window of even span
 * (dilation x (kernel - 1) odd) takes its odd row and column of padding at the bottom and right, as PyTorch.
 * Returns [top, bottom, left, right].
 */
export function samePadding(kernelSize: readonly [number, number], dilation: readonly [number, number]): [number, number, number, number] {
  const [spanH, spanW] = [dilation[0] * (kernelSize[0] - 1), dilation[1] * (kernelSize[1] - 1)];
  return [Math.floor(spanH / 2), Math.ceil(spanH / 2), Math.floor(spanW / 2), Math.ceil(spanW / 2)];
}

export interface WindowOptions {
  kernelSize: unknown;
  stride: unknown;
  padding: unknown;
  dilation: unknown;
}

/** The windows of a [N, C, H, W] input, checked: what the kernels take, and the output's height and width. */
export function windowOf(op: string, x: Tensor, options: WindowOptions): { g: Window2d; outH: number; outW: number } {
  if (x.rank !== 4) {
    const hint = x.rank === 3 ? ' (one image: add the batch axis with x.unsqueeze(0))' : '';
    throw new ShapeError(`${op}: expected a 4-D input [batch, channels, height, width], got shape ${formatShape(x.shape)}${hint}`);
  }
  const [kh, kw] = pairOption(op, 'kernelSize', options.kernelSize, 1);
  const [sh, sw] = pairOption(op, 'stride', options.stride, 1);
  const [ph, pw] = pairOption(op, 'padding', options.padding, 0);
  const [dh, dw] = pairOption(op, 'dilation', options.dilation, 1);
  const [, channels, height, width] = x.shape as [number, number, number, number];
  const g: Window2d = { channels, height, width, kh, kw, sh, sw, ph, pw, dh, dw };
  const [spanH, spanW] = [dh * (kh - 1) + 1, dw * (kw - 1) + 1];
  if (spanH > height + 2 * ph || spanW > width + 2 * pw) {
    throw new ShapeError(
      `${op}: the ${spanH}x${spanW} window (kernel ${kh}x${kw}, dilation ${dh},${dw}) is larger than the padded input ` +
      `${height + 2 * ph}x${width + 2 * pw} (input ${formatShape(x.shape)}, padding ${ph},${pw})`,
    );
  }
  return { g, outH: windowOutput(height, kh, sh, ph, dh), outW: windowOutput(width, kw, sw, pw, dw) };
}
