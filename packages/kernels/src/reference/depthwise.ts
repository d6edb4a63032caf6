// Depthwise convolution (one kernel per channel) over padded images, one output at a time.
import type { FloatArray } from './types';

/** The geometry of a depthwise convolution over padded images [images, channels, hp, wp]. */
export interface Depthwise {
  readonly images: number;
  readonly channels: number;
  readonly hp: number;
  readonly wp: number;
  readonly outH: number;
  readonly outW: number;
  readonly kh: number;
  readonly kw: number;
  readonly sh: number;
  readonly sw: number;
  readonly dh: number;
  readonly dw: number;
}

/** Calls visit(xIndex, outputIndex, weightIndex) for every tap of every output. */
function eachTap(d: Depthwise, visit: (xi: number, yi: number, wi: number) => void): void {
  for (let n = 0; n < d.images; n++) {
    for (let c = 0; c < d.channels; c++) {
      const plane = (n * d.channels + c) * d.hp * d.wp;
      for (let oy = 0; oy < d.outH; oy++) {
        for (let ox = 0; ox < d.outW; ox++) {
          const yi = ((n * d.channels + c) * d.outH + oy) * d.outW + ox;
          for (let i = 0; i < d.kh; i++) {
            for (let j = 0; j < d.kw; j++) visit(plane + (oy * d.sh + i * d.dh) * d.wp + ox * d.sw + j * d.dw, yi, (c * d.kh + i) * d.kw + j);
          }
        }
      }
    }
  }
}

/** y[n, c, oy, ox] = the sum over (i, j) of x[n, c, oy sh + i dh, ox sw + j dw] w[c, i, j]. */
export function depthwiseConv2d(d: Depthwise, x: ArrayLike<number>, w: ArrayLike<number>, y: FloatArray): void {
  y.fill(0, 0, d.images * d.channels * d.outH * d.outW);
  eachTap(d, (xi, yi, wi) => { y[yi]! += x[xi]! * w[wi]!; });
}

/** dw[c, i, j] = the sum over images and outputs of x[..] dy[n, c, oy, ox]. */
export function depthwiseConv2dWeightGrad(d: Depthwise, x: ArrayLike<number>, dy: ArrayLike<number>, dw: FloatArray): void {
  dw.fill(0, 0, d.channels * d.kh * d.kw);
  eachTap(d, (xi, yi, wi) => { dw[wi]! += x[xi]! * dy[yi]!; });
}
