// A 2-D convolution (PyTorch's F.conv2d, a cross-correlation) on the packed GEMM: each image's windows become the
// columns of a [C kh kw, L] matrix (im2col; L output positions), and each group's product runs as
// Y^T [L, O] = cols^T W^T, so the packed operand is the small weight and the GEMM's long side is the L positions;
// Y^T is transposed into NCHW. One image at a time, so its columns are still in cache when the GEMM reads them
// (the whole batch's columns at once measured 1.6x slower on LeNet: they come back from memory). Backward makes
// each image's columns again rather than keeping the batch's: dW^T += cols dY^T, dcols = W^T dY, and dx is dcols
// summed back into the image (col2im).
import { defineOp } from '../op';
import { ShapeError } from '../errors';
import { checkOptions } from '../options';
import { formatShape } from '../shape';
import { allocate, record, type Tensor } from '../tensor';
import type { Backend } from '../backend';
import type { Window2d } from '@backprop/kernels';
import { at, checkTensor, floatInputs } from './internal/common';
import { windowOf } from './internal/window';
import { contiguous } from './contiguous';

export interface Conv2dOptions {
  stride?: number | [number, number];
  padding?: number | [number, number];
  dilation?: number | [number, number];
  /** Input and output channels split into this many groups, each convolved on its own (= channels: depthwise). */
  groups?: number;
}

/** The sizes of one convolution: images, groups, channels per group, column rows per group, output positions. */
interface ConvShape {
  g: Window2d;
  images: number;
  groups: number;
  outChannels: number;
  /** Output channels per group. */
  og: number;
  /** Column rows per group: input channels per group x kh x kw. */
  kg: number;
  /** Output positions: outH x outW. */
  positions: number;
}

/**
 * x [N, C, H, W], weight [O, C / groups, kh, kw], bias [O] or none -> y [N, O, outH, outW]. Gradients for x,
 * weight and bias, each computed only when needed.
 */
export const conv2d = defineOp({ name: 'conv2d', gradient: 'recorded', kernels: ['im2col', 'col2im', 'gemmPacked', 'packB', 'transpose'] }, (
  input: Tensor, weight: Tensor, bias?: Tensor | null, options: Conv2dOptions = {},
): Tensor => {
  checkTensor('conv2d', weight, 'the weight');
  if (bias != null) checkTensor('conv2d', bias, 'the bias');
  const backend = floatInputs('conv2d', bias ? [input, weight, bias] : [input, weight]);
  checkOptions('conv2d', options, { stride: undefined, padding: undefined, dilation: undefined, groups: 1 });
  const { stride = 1, padding = 0, dilation = 1, groups = 1 } = options;
  if (weight.rank !== 4) throw new ShapeError(`conv2d: the weight must be 4-D [outChannels, inChannels / groups, kh, kw], got shape ${formatShape(weight.shape)}`);
  const [outChannels, groupChannels, kh, kw] = weight.shape as [number, number, number, number];
  const { g, outH, outW } = windowOf('conv2d', input, { kernelSize: [kh, kw], stride, padding, dilation });
  if (typeof groups !== 'number' || !Number.isInteger(groups) || groups < 1) throw new TypeError(`conv2d: groups must be an integer >= 1, got ${JSON.stringify(groups)}`);
  if (g.channels % groups !== 0 || outChannels % groups !== 0) {
    throw new ShapeError(`conv2d: ${g.channels} input channels and ${outChannels} output channels must both divide by groups = ${groups}`);
  }
  if (groupChannels * groups !== g.channels) {
    throw new ShapeError(
      `conv2d: the weight ${formatShape(weight.shape)} expects ${groupChannels * groups} input channels (${groupChannels} per group, ${groups} groups), ` +
      `the input ${formatShape(input.shape)} has ${g.channels}`,
    );
  }
  if (bias != null && (bias.rank !== 1 || bias.shape[0] !== outChannels)) {
    throw new ShapeError(`conv2d: the bias must have shape [${outChannels}] (one per output channel), got ${formatShape(bias.shape)}`);
  }
  const [x, w] = [contiguous(input), contiguous(weight)];
  const b = bias == null ? null : contiguous(bias);
  const s: ConvShape = { g, images: x.shape[0]!, groups, outChannels, og: outChannels / groups, kg: groupChannels * kh * kw, positions: outH * outW };
  const out = allocate(backend, [s.images, outChannels, outH, outW], 'float32');
  if (out.size === 0) return out;
  const [needX, needW, needB] = [x.requiresGrad, w.requiresGrad, b?.requiresGrad === true];
  forward(backend, s, x, w, b, out);
  return record(out, 'conv2d', b ? [x, w, b] : [x, w], (dy) => {
    const grads = backward(backend, s, x, w, contiguous(dy), needX, needW);
    return [grads.dx, grads.dw, needB ? dy.sum([0, 2, 3]) : null];
  }, { saves: [x, w], params: { stride, padding, dilation, groups } });
});

function forward(backend: Backend, s: ConvShape, x: Tensor, w: Tensor, b: Tensor | null, out: Tensor): void {
  const { g, images, groups, outChannels: O, og, kg, positions: L } = s;
  const [K, imageSize] = [groups * kg, g.channels * g.height * g.width];
  const cols = allocate(backend, [K, L], 'float32');
  const yt = allocate(backend, [L, O], 'float32');
  for (let n = 0; n < images; n++) {
    backend.im2col(1, g, at(x, n * imageSize), cols);
    // Y^T [L, og] = cols_g^T [L, kg] W_g^T [kg, og], written into the group's columns of Y^T [L, O].
    for (let k = 0; k < groups; k++) backend.gemm(true, true, L, og, kg, 1, at(cols, k * kg * L), L, at(w, k * og * kg), kg, 0, at(yt, k * og), O);
    if (b) backend.binary('add', L, O, yt, O, 1, b, 0, 1, yt);
    backend.transpose(L, O, yt, at(out, n * O * L));
  }
  cols.dispose();
  yt.dispose();
}

function backward(backend: Backend, s: ConvShape, x: Tensor, w: Tensor, dy: Tensor, needX: boolean, needW: boolean): { dx: Tensor | null; dw: Tensor | null } {
  const { g, images, groups, outChannels: O, og, kg, positions: L } = s;
  const [K, imageSize] = [groups * kg, g.channels * g.height * g.width];
  const cols = allocate(backend, [K, L], 'float32');
  const dyt = allocate(backend, [L, O], 'float32');
  const dwt = allocate(backend, [groups, kg, og], 'float32');
  const dx = needX ? allocate(backend, x.shape, 'float32') : null;
  for (let n = 0; n < images; n++) {
    const dyImage = at(dy, n * O * L);
    if (needW) {
      // dW_g^T [kg, og] += cols_g [kg, L] dY_g^T [L, og]: the image's columns made again, dY transposed.
      backend.im2col(1, g, at(x, n * imageSize), cols);
      backend.transpose(O, L, dyImage, dyt);
      for (let k = 0; k < groups; k++) backend.gemm(false, false, kg, og, L, 1, at(cols, k * kg * L), L, at(dyt, k * og), O, n === 0 ? 0 : 1, at(dwt, k * kg * og), og);
    }
    if (dx) {
      // dcols_g [kg, L] = W_g^T [kg, og] dY_g [og, L], then summed back into the image.
      for (let k = 0; k < groups; k++) backend.gemm(true, false, kg, L, og, 1, at(w, k * og * kg), kg, at(dyImage, k * og * L), L, 0, at(cols, k * kg * L), L);
      backend.col2im(1, g, cols, at(dx, n * imageSize));
    }
  }
  let dw: Tensor | null = null;
  if (needW) {
    dw = allocate(backend, w.shape, 'float32');
    for (let k = 0; k < groups; k++) backend.transpose(kg, og, at(dwt, k * kg * og), at(dw, k * og * kg));
  }
  for (const t of [cols, dyt, dwt]) t.dispose();
  return { dx, dw };
}
