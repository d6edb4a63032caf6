// A convolution at stride 1 over padded images and its weight gradient, one output at a time (the reference of
// assembly/conv-direct.ts).
import type { Depthwise } from './depthwise';
import type { FloatArray } from './types';

/**
 * The geometry of a stride-1 convolution over padded images [images, channels, hp, wp] into [images, outChannels,
 * outH, outW]: a depthwise convolution's, with output channels of their own and no stride.
 */
export interface DirectConv extends Omit<Depthwise, 'sh' | 'sw'> {
  readonly outChannels: number;
}

/** y[n, o, oy, ox] = bias[o] + the sum over (c, i, j) of x[n, c, oy + i dh, ox + j dw] w[o, c, i, j] (no bias: 0). */
export function conv2dDirect(d: DirectConv, x: ArrayLike<number>, w: ArrayLike<number>, bias: ArrayLike<number> | null, y: FloatArray): void {
  for (let n = 0; n < d.images; n++) {
    for (let o = 0; o < d.outChannels; o++) {
      for (let oy = 0; oy < d.outH; oy++) {
        for (let ox = 0; ox < d.outW; ox++) {
          let sum = bias ? bias[o]! : 0;
          for (let c = 0; c < d.channels; c++) {
            for (let i = 0; i < d.kh; i++) {
              for (let j = 0; j < d.kw; j++) {
                sum += x[((n * d.channels + c) * d.hp + oy + i * d.dh) * d.wp + ox + j * d.dw]! * w[((o * d.channels + c) * d.kh + i) * d.kw + j]!;
              }
            }
          }
          y[((n * d.outChannels + o) * d.outH + oy) * d.outW + ox] = sum;
        }
      }
    }
  }
}

/** dweight[o, c, i, j] = the sum over (n, oy, ox) of dy[n, o, oy, ox] x[n, c, oy + i dh, ox + j dw]. */
export function conv2dDirectWeightGrad(d: DirectConv, x: ArrayLike<number>, dy: ArrayLike<number>, dweight: FloatArray): void {
  for (let o = 0; o < d.outChannels; o++) {
    for (let c = 0; c < d.channels; c++) {
      for (let i = 0; i < d.kh; i++) {
        for (let j = 0; j < d.kw; j++) {
          let sum = 0;
          for (let n = 0; n < d.images; n++) {
            for (let oy = 0; oy < d.outH; oy++) {
              for (let ox = 0; ox < d.outW; ox++) {
                sum += dy[((n * d.outChannels + o) * d.outH + oy) * d.outW + ox]! * x[((n * d.channels + c) * d.hp + oy + i * d.dh) * d.wp + ox + j * d.dw]!;
              }
            }
          }
          dweight[((o * d.channels + c) * d.kh + i) * d.kw + j] = sum;
        }
      }
    }
  }
}
