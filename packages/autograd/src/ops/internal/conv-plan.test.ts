import { describe, expect, it } from 'vitest';
import { directConvolution, inputGradientByColumns, type ConvShape } from './conv-plan';

/** A convolution of `images` [channels, size, size] by outChannels k x k kernels. */
function conv(images: number, channels: number, size: number, outChannels: number, k: number, options: { padding?: number; stride?: number; groups?: number } = {}): ConvShape {
  const { padding = 0, stride = 1, groups = 1 } = options;
  const out = Math.floor((size + 2 * padding - k) / stride) + 1;
  return {
    g: { channels, height: size, width: size, kh: k, kw: k, sh: stride, sw: stride, ph: padding, pw: padding, dh: 1, dw: 1 },
    images, groups, outChannels, og: outChannels / groups, cg: channels / groups, outH: out, outW: out,
  };
}

describe('how dx of a convolution is computed', () => {
  it('by columns where channels are few (LeNet), by a full convolution on a 3x3 64-channel layer', () => {
    expect(inputGradientByColumns(conv(64, 1, 28, 6, 5, { padding: 2 }))).toBe(true);
    expect(inputGradientByColumns(conv(64, 6, 14, 16, 5))).toBe(true);
    expect(inputGradientByColumns(conv(8, 64, 32, 64, 3, { padding: 1 }))).toBe(false);
    expect(inputGradientByColumns(conv(1, 16, 5, 8, 3, { padding: 1 }))).toBe(false);
  });

  it('always by columns with a stride above 1 or padding wider than the window; depthwise at stride 1 by its direct kernel', () => {
    expect(inputGradientByColumns(conv(8, 64, 32, 64, 3, { padding: 1, stride: 2 }))).toBe(true);
    expect(inputGradientByColumns(conv(8, 64, 32, 64, 1, { padding: 1 }))).toBe(true);
    expect(inputGradientByColumns(conv(2, 32, 16, 32, 3, { padding: 1, groups: 32 }))).toBe(false);
    expect(inputGradientByColumns(conv(2, 32, 16, 32, 3, { padding: 1, groups: 32, stride: 2 }))).toBe(true);
  });

  it('the forward pass and the weight gradient: direct where output channels fill tiles of 3 better than 8-wide panels, at stride 1 in one group', () => {
    expect(directConvolution(conv(64, 1, 28, 6, 5, { padding: 2 }))).toBe(true); // LeNet conv1: 6 of 6 against 6 of 8
    expect(directConvolution(conv(64, 6, 14, 16, 5))).toBe(false); // LeNet conv2: 16 channels
    expect(directConvolution(conv(4, 3, 16, 12, 3, { padding: 1 }))).toBe(false); // 12 of 12 against 12 of 16, but 8 or more
    expect(directConvolution(conv(4, 3, 16, 7, 3, { padding: 1 }))).toBe(false); // 7 of 9 against 7 of 8
    expect(directConvolution(conv(4, 3, 16, 4, 3, { padding: 1 }))).toBe(true); // 4 of 6 against 4 of 8
    expect(directConvolution(conv(8, 64, 32, 64, 3, { padding: 1 }))).toBe(false);
    expect(directConvolution(conv(64, 1, 28, 6, 5, { padding: 2, stride: 2 }))).toBe(false);
    expect(directConvolution(conv(2, 4, 8, 6, 3, { groups: 2 }))).toBe(false);
  });
});
