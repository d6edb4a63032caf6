// The sizes of a convolution and the choices made from them alone (never from the thread count, so results do
// not depend on it).
import type { Window2d } from '@backprop/kernels';

/** The sizes of one convolution. */
export interface ConvShape {
  g: Window2d;
  images: number;
  groups: number;
  outChannels: number;
  /** Output channels per group. */
  og: number;
  /** Input channels per group. */
  cg: number;
  outH: number;
  outW: number;
}

/** Whether each channel is convolved with one kernel of its own. */
export const isDepthwise = (s: ConvShape): boolean => s.cg === 1 && s.og === 1 && s.groups > 1;

/**
 * k-steps of the 4 x 8 GEMM micro-kernel a tile costs besides its multiply-adds (loading its rows, storing C), and
 * col2im's cost per element in k-steps: fitted to three layers measured in one process (dx of LeNet's conv1 and
 * conv2, by columns 3.1x and 1.5x faster; of a 3x3 64-channel layer, 1.13x slower). Since col2im gathers at
 * stride 1 (2.3x faster on LeNet's conv2), columns measure 2.3x and 1.6x faster on LeNet and as fast on the 3x3
 * layer (20.9-21.4 ms against 20.9-21.0 for 8 images): the choices stand.
 */
const TILE_OVERHEAD = 8;
const COL2IM_PER_ELEMENT = 0.1;

/**
 * Whether dx comes from columns and col2im rather than a full convolution. The full convolution needs stride 1
 * and padding within the (dilated) window. Its rows are every input position and its columns the input channels,
 * so it multiplies dY's zero border and fills its 8-wide panels only cg / 8 (LeNet's conv1 has one channel);
 * columns' products are [cg kh kw, L] deep only og, and col2im adds them up. Whichever multiplies fewer tiles.
 */
export function inputGradientByColumns(s: ConvShape): boolean {
  const { g, images, groups, og, cg, outH, outW } = s;
  if (g.sh !== 1 || g.sw !== 1 || g.ph > g.dh * (g.kh - 1) || g.pw > g.dw * (g.kw - 1)) return true;
  if (isDepthwise(s)) return false; // a direct kernel either way
  const tiles = (rows: number, cols: number, depth: number): number => Math.ceil(rows / 4) * Math.ceil(cols / 8) * (depth + TILE_OVERHEAD);
  const [kg, L, HW] = [cg * g.kh * g.kw, outH * outW, g.height * g.width];
  const full = groups * tiles(images * HW, cg, og * g.kh * g.kw);
  const columns = groups * images * (tiles(kg, L, og) + COL2IM_PER_ELEMENT * kg * L);
  return columns < full;
}

/**
 * Whether the forward pass and the weight gradient run the direct kernels (stride 1, one group) rather than the
 * implicit GEMMs: for fewer than 8 output channels, when their tiles, 3 output channels (forward) or 2 (weight
 * gradient) by rows of outputs in vectors of 4, are fuller than the GEMM's one panel of 8 (LeNet's first layer: 6
 * of 6 against 6 of 8). They also read and write NCHW, where the GEMMs' outputs or inputs are transposed. With
 * more channels the GEMM is faster even where its panels are emptier (LeNet's second layer, 16 channels: the
 * direct forward kernel took 1.7-2.1x as long).
 */
export function directConvolution(s: ConvShape): boolean {
  const { g, groups, og, outW } = s;
  if (groups !== 1 || g.sh !== 1 || g.sw !== 1 || og >= 8) return false;
  const fill = (used: number, tile: number): number => used / (Math.ceil(used / tile) * tile);
  return fill(og, 3) * fill(outW, 4) > fill(og, 8);
}
