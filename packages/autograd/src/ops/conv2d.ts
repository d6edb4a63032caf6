import { defineOp } from '../op';
import { ShapeError } from '../errors';
import { checkOptions } from '../options';
import { formatShape } from '../shape';
import type { Tensor } from '../tensor';
import { checkTensor, floatInputs } from './internal/common';
import { windowOf } from './internal/window';
import { concat } from './concat';
import { matmul } from './matmul';
import { unfold } from './unfold';

export interface Conv2dOptions {
  stride?: number | [number, number];
  padding?: number | [number, number];
  dilation?: number | [number, number];
  /** Input and output channels split into this many groups, each convolved on its own (= channels: depthwise). */
  groups?: number;
}

/**
 * A 2-D convolution (PyTorch's F.conv2d, a cross-correlation): x [N, C, H, W], weight [O, C / groups, kh, kw],
 * bias [O] or none; y [N, O, outH, outW]. The windows of x become columns (unfold) and the convolution one matrix
 * product per group with the weight as a [O, C kh kw] matrix; the gradients flow back through both.
 */
export const conv2d = defineOp({ name: 'conv2d', gradient: 'composite', kernels: [] }, (x: Tensor, weight: Tensor, bias?: Tensor | null, options: Conv2dOptions = {}): Tensor => {
  checkTensor('conv2d', weight, 'the weight');
  if (bias != null) checkTensor('conv2d', bias, 'the bias');
  floatInputs('conv2d', bias ? [x, weight, bias] : [x, weight]);
  checkOptions('conv2d', options, { stride: undefined, padding: undefined, dilation: undefined, groups: 1 });
  const { stride = 1, padding = 0, dilation = 1, groups = 1 } = options;
  if (weight.rank !== 4) throw new ShapeError(`conv2d: the weight must be 4-D [outChannels, inChannels / groups, kh, kw], got shape ${formatShape(weight.shape)}`);
  const [outChannels, groupChannels, kh, kw] = weight.shape as [number, number, number, number];
  const { g, outH, outW } = windowOf('conv2d', x, { kernelSize: [kh, kw], stride, padding, dilation });
  if (!Number.isInteger(groups) || groups < 1) throw new TypeError(`conv2d: groups must be an integer >= 1, got ${groups}`);
  if (g.channels % groups !== 0 || outChannels % groups !== 0) {
    throw new ShapeError(`conv2d: ${g.channels} input channels and ${outChannels} output channels must both divide by groups = ${groups}`);
  }
  if (groupChannels * groups !== g.channels) {
    throw new ShapeError(
      `conv2d: the weight ${formatShape(weight.shape)} expects ${groupChannels * groups} input channels (${groupChannels} per group, ${groups} groups), ` +
      `the input ${formatShape(x.shape)} has ${g.channels}`,
    );
  }
  if (bias != null && (bias.rank !== 1 || bias.shape[0] !== outChannels)) {
    throw new ShapeError(`conv2d: the bias must have shape [${outChannels}] (one per output channel), got ${formatShape(bias.shape)}`);
  }
  const cols = unfold(x, [kh, kw], { stride, padding, dilation }); // [N, C kh kw, outH outW]
  // Group i reads rows of its channels (a contiguous band of the columns) with its slice of the weight.
  const [rows, outs] = [groupChannels * kh * kw, outChannels / groups];
  const products = Array.from({ length: groups }, (_, i) => {
    const w = (groups === 1 ? weight : weight.narrow(0, i * outs, outs)).reshape([outs, rows]);
    return matmul(w, groups === 1 ? cols : cols.narrow(1, i * rows, rows));
  });
  let y = groups === 1 ? products[0]! : concat(products, 1); // [N, O, outH outW]
  if (bias != null) y = y.add(bias.reshape([outChannels, 1]));
  return y.reshape([x.shape[0]!, outChannels, outH, outW]);
});
