// A 2-D convolution (PyTorch's F.conv2d, a cross-correlation) as implicit GEMMs over the whole batch: the windows
// of the zero-padded input are the rows of a matrix read in place through two offset tables (gemmIndirect: row =
// output position, column = (channel, kernel row, kernel column)), so no im2col copy is made and each group is
// one product whose long side is every output position of the batch:
//   forward  Y^T [N L, O]  = windows(x) W^T              (then transposed into NCHW, bias added)
//   dW^T     [C k k, O]    = windows(x)^T dY^T           (the same tables, rows and columns swapped)
//   dx^T     [N H W, C]    = windows(dY padded) W'       (stride 1: a full convolution with the flipped weight)
// or dx from dcols = W^T dY summed back into the images (col2im): always with a stride above 1, and at stride 1
// where that multiplies fewer padded tiles (few channels, as in LeNet: see inputGradientByColumns).
// A depthwise convolution (one kernel per channel: as a GEMM, products one column wide) runs direct kernels, and
// so do the forward pass and the weight gradient of a layer with few output channels at stride 1 (see
// directConvolution).
import type { Depthwise, DirectConv } from '@backprop/kernels';
import { defineOp } from '../op';
import type { Backend } from '../backend';
import { ShapeError } from '../errors';
import { checkOptions } from '../options';
import { formatShape } from '../shape';
import { allocate, record, type Tensor } from '../tensor';
import { at, checkTensor, floatInputs, release } from './internal/common';
import { copyLayout } from './internal/copy';
import { paddingOption, pairOption, samePadding, windowOf } from './internal/window';
import { directConvolution, inputGradientByColumns, isDepthwise, type ConvShape } from './internal/conv-plan';
import { contiguous } from './contiguous';
import { pad } from './pad';

export interface Conv2dOptions {
  stride?: number | [number, number];
  /** Zeros around the input: n or [h, w] on each side; 'valid' (none) or 'same' (the output keeps the input's size, at stride 1). */
  padding?: number | [number, number] | 'valid' | 'same';
  dilation?: number | [number, number];
  /** Input and output channels split into this many groups, each convolved on its own (= channels: depthwise). */
  groups?: number;
}

/**
 * x [N, C, H, W], weight [O, C / groups, kh, kw], bias [O] or none -> y [N, O, outH, outW]. Gradients for x,
 * weight and bias, each computed only when needed.
 */
export const conv2d = defineOp({ name: 'conv2d', gradient: 'recorded', kernels: ['gemmIndirect', 'packB', 'transpose', 'col2im', 'gemmPacked', 'gemmBatched', 'depthwiseConv2d', 'depthwiseConv2dWeightGrad', 'conv2dDirect', 'conv2dDirectWeightGrad'] }, (
  input: Tensor, weight: Tensor, bias?: Tensor | null, options: Conv2dOptions = {},
): Tensor => {
  checkTensor('conv2d', weight, 'the weight');
  if (bias != null) checkTensor('conv2d', bias, 'the bias');
  const backend = floatInputs('conv2d', bias ? [input, weight, bias] : [input, weight]);
  checkOptions('conv2d', options, { stride: undefined, padding: undefined, dilation: undefined, groups: 1 });
  const { stride = 1, padding = 0, dilation = 1, groups = 1 } = options;
  if (weight.rank !== 4) throw new ShapeError(`conv2d: the weight must be 4-D [outChannels, inChannels / groups, kh, kw], got shape ${formatShape(weight.shape)}`);
  const [outChannels, groupChannels, kh, kw] = weight.shape as [number, number, number, number];
  if (typeof padding === 'string') {
    // 'same' as numbers: samePadding, with the odd row and column of a window of even span padded on first.
    const numbers = paddingOption('conv2d', padding, stride);
    if (numbers !== 'same') return conv2d(input, weight, bias, { ...options, padding: numbers });
    const [top, bottom, left, right] = samePadding([kh, kw], pairOption('conv2d', 'dilation', dilation, 1));
    // (Only a 4-D input is padded: windowOf names any other by its own shape.)
    const x = input.rank === 4 && (bottom > top || right > left) ? pad(input, [0, right - left, 0, bottom - top]) : input;
    return conv2d(x, weight, bias, { ...options, padding: [top, left] });
  }
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
  const s: ConvShape = { g, images: x.shape[0]!, groups, outChannels, og: outChannels / groups, cg: groupChannels, outH, outW };
  if (s.images * outChannels * outH * outW === 0) return allocate(backend, [s.images, outChannels, outH, outW], 'float32');
  const out = forward(backend, s, x, w, b);
  const [needX, needW, needB] = [x.requiresGrad, w.requiresGrad, b?.requiresGrad === true];
  return record(out, 'conv2d', b ? [x, w, b] : [x, w], (dy) => {
    const d = contiguous(dy);
    return [needX ? inputGradient(backend, s, w, d) : null, needW ? weightGradient(backend, s, x, d) : null, needB ? dy.sum([0, 2, 3]) : null];
  }, { saves: [x, w], params: { stride, padding, dilation, groups } });
});

/** t [N, C, H, W] inside a zero border: top/bottom and left/right rows and columns (t itself when there are none). */
function padded(backend: Backend, t: Tensor, top: number, left: number): Tensor {
  if (top === 0 && left === 0) return t;
  const [n, c, h, w] = t.shape as [number, number, number, number];
  const out = allocate(backend, [n, c, h + 2 * top, w + 2 * left], 'float32');
  backend.fill(out, out.size, 0);
  copyLayout(backend, [n * c, h, w], t, [h * w, w, 1], at(out, top * out.strides[2]! + left), [out.strides[1]!, out.strides[2]!, 1]);
  return out;
}

/**
 * The offset tables of the windows over padded images [N, C, Hp, Wp] (offsets in elements): one row per output
 * position (n, oy, ox), one column per (channel, kernel row, kernel column) of a group. Kept per geometry (a
 * training loop asks for the same few), as JavaScript arrays copied into int32 tensors per call.
 */
const tableCache = new Map<string, Int32Array>();

function table(backend: Backend, key: string, make: () => Int32Array): Tensor {
  let values = tableCache.get(key);
  if (!values) {
    if (tableCache.size >= 32) tableCache.delete(tableCache.keys().next().value!);
    tableCache.set(key, (values = make()));
  }
  const t = allocate(backend, [values.length], 'int32');
  backend.write(t, values);
  return t;
}

/** Offsets of the output positions (n, oy, ox) of images [N, channels, hp, wp]: the windows' top-left corners. */
function positionOffsets(backend: Backend, images: number, channels: number, hp: number, wp: number, outH: number, outW: number, sh: number, sw: number): Tensor {
  return table(backend, `p${images},${channels},${hp},${wp},${outH},${outW},${sh},${sw}`, () => {
    const t = new Int32Array(images * outH * outW);
    let m = 0;
    for (let n = 0; n < images; n++) for (let oy = 0; oy < outH; oy++) for (let ox = 0; ox < outW; ox++) t[m++] = (n * channels * hp + oy * sh) * wp + ox * sw;
    return t;
  });
}

/** Offsets of a window's elements (c, i, j) in padded images with planes hp x wp. */
function windowOffsets(backend: Backend, channels: number, hp: number, wp: number, kh: number, kw: number, dh: number, dw: number): Tensor {
  return table(backend, `w${channels},${hp},${wp},${kh},${kw},${dh},${dw}`, () => {
    const t = new Int32Array(channels * kh * kw);
    let k = 0;
    for (let c = 0; c < channels; c++) for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) t[k++] = (c * hp + i * dh) * wp + j * dw;
    return t;
  });
}

/** The windows of x: the padded input and its offset tables. */
function windowsOf(backend: Backend, s: ConvShape, x: Tensor): { xp: Tensor; rows: Tensor; cols: Tensor; plane: number } {
  const { g, images, outH, outW, cg } = s;
  const [hp, wp] = [g.height + 2 * g.ph, g.width + 2 * g.pw];
  return {
    xp: padded(backend, x, g.ph, g.pw),
    rows: positionOffsets(backend, images, g.channels, hp, wp, outH, outW, g.sh, g.sw),
    cols: windowOffsets(backend, cg, hp, wp, g.kh, g.kw, g.dh, g.dw),
    plane: hp * wp,
  };
}

/** The depthwise kernels' geometry over x padded as the convolution says. */
const depthwiseOf = (s: ConvShape): Depthwise => ({
  images: s.images, channels: s.groups, hp: s.g.height + 2 * s.g.ph, wp: s.g.width + 2 * s.g.pw, outH: s.outH, outW: s.outW,
  kh: s.g.kh, kw: s.g.kw, sh: s.g.sh, sw: s.g.sw, dh: s.g.dh, dw: s.g.dw,
});

/** The direct kernels' geometry over x padded as the convolution says. */
const directOf = (s: ConvShape): DirectConv => ({
  images: s.images, channels: s.g.channels, hp: s.g.height + 2 * s.g.ph, wp: s.g.width + 2 * s.g.pw, outH: s.outH, outW: s.outW,
  outChannels: s.outChannels, kh: s.g.kh, kw: s.g.kw, dh: s.g.dh, dw: s.g.dw,
});

/** A result of `shape` that `kernel` writes from x padded as the convolution says; the padded copy is freed after. */
function onPadded(backend: Backend, s: ConvShape, x: Tensor, shape: number[], kernel: (xp: Tensor, out: Tensor) => void): Tensor {
  const xp = padded(backend, x, s.g.ph, s.g.pw);
  const out = allocate(backend, shape, 'float32');
  kernel(xp, out);
  if (xp !== x) xp.dispose();
  return out;
}

/**
 * y [N, O, outH, outW]. Allocated after the scratch blocks: a block allocated earlier and not yet written could
 * be moved out of kernel memory by the later allocations (it counts as not used recently), and back in when written.
 */
function forward(backend: Backend, s: ConvShape, x: Tensor, w: Tensor, b: Tensor | null): Tensor {
  const { g, images, groups, outChannels: O, og, cg, outH, outW } = s;
  if (isDepthwise(s)) {
    return onPadded(backend, s, x, [images, O, outH, outW], (xp, out) => {
      backend.depthwiseConv2d(depthwiseOf(s), xp, w, out);
      // One bias per channel: per image, row c of [C, L] gets bias[c].
      if (b) for (let n = 0; n < images; n++) backend.binary('add', O, outH * outW, at(out, n * O * outH * outW), outH * outW, 1, b, 1, 0, at(out, n * O * outH * outW));
    });
  }
  if (directConvolution(s)) return onPadded(backend, s, x, [images, O, outH, outW], (xp, out) => backend.conv2dDirect(directOf(s), xp, w, b, out));
  const [L, kg] = [outH * outW, cg * g.kh * g.kw];
  const { xp, rows, cols, plane } = windowsOf(backend, s, x);
  const yt = allocate(backend, [images * L, O], 'float32');
  const out = allocate(backend, [images, O, outH, outW], 'float32');
  // Y^T [N L, og] = windows [N L, kg] W_g^T [kg, og], into the group's columns of Y^T [N L, O].
  for (let k = 0; k < groups; k++) backend.gemmIndirect(images * L, og, kg, 1, at(xp, k * cg * plane), rows, cols, true, at(w, k * og * kg), kg, 0, at(yt, k * og), O);
  if (b) backend.binary('add', images * L, O, yt, O, 1, b, 0, 1, yt);
  backend.transpose(images, L, O, yt, out);
  release(yt, rows, cols, ...(xp === x ? [] : [xp]));
  return out;
}

/** dY [N, O, L] as dY^T [N L, O]. */
function transposedGradient(backend: Backend, s: ConvShape, dy: Tensor): Tensor {
  const [O, L] = [s.outChannels, s.outH * s.outW];
  const dyt = allocate(backend, [s.images * L, O], 'float32');
  backend.transpose(s.images, O, L, dy, dyt);
  return dyt;
}

function weightGradient(backend: Backend, s: ConvShape, x: Tensor, dy: Tensor): Tensor {
  const { g, images, groups, outChannels: O, og, cg, outH, outW } = s;
  if (isDepthwise(s)) return onPadded(backend, s, x, [O, 1, g.kh, g.kw], (xp, dw) => backend.depthwiseConv2dWeightGrad(depthwiseOf(s), xp, dy, dw));
  if (directConvolution(s)) return onPadded(backend, s, x, [O, cg, g.kh, g.kw], (xp, dw) => backend.conv2dDirectWeightGrad(directOf(s), xp, dy, dw));
  const [L, kg] = [outH * outW, cg * g.kh * g.kw];
  const { xp, rows, cols, plane } = windowsOf(backend, s, x);
  const dyt = transposedGradient(backend, s, dy);
  const dwt = allocate(backend, [groups, kg, og], 'float32');
  // dW_g^T [kg, og] = windows^T [kg, N L] dY_g^T [N L, og]: the same tables with rows and columns swapped.
  for (let k = 0; k < groups; k++) backend.gemmIndirect(kg, og, images * L, 1, at(xp, k * cg * plane), cols, rows, false, at(dyt, k * og), O, 0, at(dwt, k * kg * og), og);
  const dw = allocate(backend, [O, cg, g.kh, g.kw], 'float32');
  backend.transpose(groups, kg, og, dwt, dw);
  release(dyt, dwt, rows, cols, ...(xp === x ? [] : [xp]));
  return dw;
}

function inputGradient(backend: Backend, s: ConvShape, w: Tensor, dy: Tensor): Tensor {
  if (inputGradientByColumns(s)) return columnsBack(backend, s, w, dy);
  return isDepthwise(s) ? depthwiseFull(backend, s, w, dy) : fullConvolution(backend, s, w, dy);
}

/** W[o, c, i, j] at [(o, kh - 1 - i, kw - 1 - j), c]: the weight of the full convolution that gives dx. */
function flippedWeight(s: ConvShape, w: Tensor): Float32Array {
  const { g, outChannels: O, cg } = s;
  const weights = w.values();
  const flipped = new Float32Array(O * g.kh * g.kw * cg);
  for (let o = 0; o < O; o++) {
    for (let c = 0; c < cg; c++) {
      for (let i = 0; i < g.kh; i++) {
        for (let j = 0; j < g.kw; j++) flipped[((o * g.kh + i) * g.kw + j) * cg + c] = weights[((o * cg + c) * g.kh + g.kh - 1 - i) * g.kw + g.kw - 1 - j]!;
      }
    }
  }
  return flipped;
}

/** dY padded by d (k - 1) - p, as the full convolution reads it. */
function paddedGradient(backend: Backend, s: ConvShape, dy: Tensor): Tensor {
  return padded(backend, dy, s.g.dh * (s.g.kh - 1) - s.g.ph, s.g.dw * (s.g.kw - 1) - s.g.pw);
}

/** dx of a depthwise convolution at stride 1: each channel's dY convolved with its flipped kernel. */
function depthwiseFull(backend: Backend, s: ConvShape, w: Tensor, dy: Tensor): Tensor {
  const { g } = s;
  const dyp = paddedGradient(backend, s, dy);
  const wf = allocate(backend, [s.groups, g.kh, g.kw], 'float32');
  backend.write(wf, flippedWeight(s, w));
  const dx = allocate(backend, [s.images, g.channels, g.height, g.width], 'float32');
  backend.depthwiseConv2d({ ...depthwiseOf(s), hp: dyp.shape[2]!, wp: dyp.shape[3]!, outH: g.height, outW: g.width, sh: 1, sw: 1 }, dyp, wf, dx);
  release(wf, ...(dyp === dy ? [] : [dyp]));
  return dx;
}

/**
 * dx for stride 1: dx[c, y, x] = sum over (o, i, j) of dY padded by d (k - 1) - p at [o, y + d i, x + d j] times
 * W[o, c, kh - 1 - i, kw - 1 - j], an implicit GEMM over dY with the flipped weight W' [og kh kw, cg] per group.
 */
function fullConvolution(backend: Backend, s: ConvShape, w: Tensor, dy: Tensor): Tensor {
  const { g, images, groups, outChannels: O, og, cg } = s;
  const dyp = paddedGradient(backend, s, dy);
  const [hq, wq] = [dyp.shape[2]!, dyp.shape[3]!];
  const rows = positionOffsets(backend, images, O, hq, wq, g.height, g.width, 1, 1);
  const cols = windowOffsets(backend, og, hq, wq, g.kh, g.kw, g.dh, g.dw);
  const wf = allocate(backend, [O * g.kh * g.kw, cg], 'float32');
  backend.write(wf, flippedWeight(s, w));
  const [C, HW] = [g.channels, g.height * g.width];
  const dxt = allocate(backend, [images * HW, C], 'float32');
  const kg = og * g.kh * g.kw;
  for (let k = 0; k < groups; k++) backend.gemmIndirect(images * HW, cg, kg, 1, at(dyp, k * og * hq * wq), rows, cols, false, at(wf, k * kg * cg), cg, 0, at(dxt, k * cg), C);
  const dx = allocate(backend, [images, C, g.height, g.width], 'float32');
  backend.transpose(images, HW, C, dxt, dx);
  release(dxt, wf, rows, cols, ...(dyp === dy ? [] : [dyp]));
  return dx;
}

/**
 * Images per columns block: cols [images, groups kg, L] of at most this many floats (or one image), so the
 * block stays in cache between the products that write it and col2im.
 */
const COLUMNS_BLOCK_FLOATS = 1 << 18;

/** dx from dcols_g [kg, L] = W_g^T [kg, og] dY_g [og, L] per image, summed back into the images (col2im). */
function columnsBack(backend: Backend, s: ConvShape, w: Tensor, dy: Tensor): Tensor {
  const { g, images, groups, outChannels: O, og, cg, outH, outW } = s;
  const [L, kg, imageSize] = [outH * outW, cg * g.kh * g.kw, g.channels * g.height * g.width];
  const block = Math.max(1, Math.min(images, Math.floor(COLUMNS_BLOCK_FLOATS / (groups * kg * L))));
  const cols = allocate(backend, [block, groups * kg, L], 'float32');
  const dx = allocate(backend, [images, g.channels, g.height, g.width], 'float32');
  for (let n0 = 0; n0 < images; n0 += block) {
    const count = Math.min(block, images - n0);
    // One strided batch per group: the group's weight for every image, each image's dY_g and columns.
    for (let k = 0; k < groups; k++) {
      backend.gemmBatched(count, true, false, kg, L, og, 1, at(w, k * og * kg), kg, 0, at(dy, (n0 * O + k * og) * L), L, O * L, 0, at(cols, k * kg * L), L, groups * kg * L);
    }
    backend.col2im(count, g, cols, at(dx, n0 * imageSize));
  }
  cols.dispose();
  return dx;
}
