// The windows of a 2-D convolution or pooling as matrix columns (F.unfold) and back (F.fold), one element at a time.
import type { FloatArray } from './types';

/**
 * The geometry of sliding kh x kw windows over images of `channels` x `height` x `width`, with stride, zero
 * padding on both sides, and dilation, per axis. The WASM kernels take these as arguments in this order.
 */
export interface Window2d {
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  readonly kh: number;
  readonly kw: number;
  readonly sh: number;
  readonly sw: number;
  readonly ph: number;
  readonly pw: number;
  readonly dh: number;
  readonly dw: number;
}

/** The output size along one axis: floor((size + 2 pad - dilation (k - 1) - 1) / stride) + 1. */
export function windowOutput(size: number, k: number, stride: number, pad: number, dilation: number): number {
  return Math.floor((size + 2 * pad - dilation * (k - 1) - 1) / stride) + 1;
}

/** Calls visit(colIndex, imageIndex or -1 for padding) for every element of the columns, in order. */
function eachWindowElement(images: number, g: Window2d, visit: (col: number, image: number) => void): void {
  const outH = windowOutput(g.height, g.kh, g.sh, g.ph, g.dh);
  const outW = windowOutput(g.width, g.kw, g.sw, g.pw, g.dw);
  let col = 0;
  for (let n = 0; n < images; n++) {
    for (let c = 0; c < g.channels; c++) {
      const plane = (n * g.channels + c) * g.height * g.width;
      for (let i = 0; i < g.kh; i++) {
        for (let j = 0; j < g.kw; j++) {
          for (let oy = 0; oy < outH; oy++) {
            for (let ox = 0; ox < outW; ox++) {
              const iy = oy * g.sh - g.ph + i * g.dh;
              const ix = ox * g.sw - g.pw + j * g.dw;
              const inside = iy >= 0 && iy < g.height && ix >= 0 && ix < g.width;
              visit(col++, inside ? plane + iy * g.width + ix : -1);
            }
          }
        }
      }
    }
  }
}

/** cols [images, channels kh kw, outH outW] = the windows of x [images, channels, height, width]; 0 in the padding. */
export function im2col(images: number, g: Window2d, x: ArrayLike<number>, cols: FloatArray): void {
  eachWindowElement(images, g, (col, image) => {
    cols[col] = image < 0 ? 0 : x[image]!;
  });
}

/** dx [images, channels, height, width] = the sum of cols put back where im2col took each element from. */
export function col2im(images: number, g: Window2d, cols: ArrayLike<number>, dx: FloatArray): void {
  dx.fill(0, 0, images * g.channels * g.height * g.width);
  eachWindowElement(images, g, (col, image) => {
    if (image >= 0) dx[image]! += cols[col]!;
  });
}
