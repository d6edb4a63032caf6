// Max pooling over 2-D windows, one window at a time: PyTorch's rule (first largest wins, NaN wins, padding never does).
import { windowOutput, type Window2d } from './im2col';
import type { FloatArray } from './types';

/** y = the maximum of each window of x [images, channels, height, width]; indices = where in its plane it came from. */
export function maxPool2d(images: number, g: Window2d, x: ArrayLike<number>, y: FloatArray, indices: Int32Array): void {
  const outH = windowOutput(g.height, g.kh, g.sh, g.ph, g.dh);
  const outW = windowOutput(g.width, g.kw, g.sw, g.pw, g.dw);
  let out = 0;
  for (let p = 0; p < images * g.channels; p++) {
    const plane = p * g.height * g.width;
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        let best = -Infinity;
        let at = -1;
        for (let i = 0; i < g.kh; i++) {
          for (let j = 0; j < g.kw; j++) {
            const [iy, ix] = [oy * g.sh - g.ph + i * g.dh, ox * g.sw - g.pw + j * g.dw];
            if (iy < 0 || iy >= g.height || ix < 0 || ix >= g.width) continue;
            const v = x[plane + iy * g.width + ix]!;
            if (at < 0) at = iy * g.width + ix; // a window of -Infinity gives its first element
            if (v > best || Number.isNaN(v)) {
              best = v;
              at = iy * g.width + ix;
            }
          }
        }
        y[out] = best;
        indices[out++] = at;
      }
    }
  }
}

/** dx = 0, then each dy added to the element its window's maximum came from. */
export function maxPool2dBackward(planes: number, inputPlane: number, outputPlane: number, indices: ArrayLike<number>, dy: ArrayLike<number>, dx: FloatArray): void {
  dx.fill(0, 0, planes * inputPlane);
  for (let p = 0; p < planes; p++) {
    for (let o = 0; o < outputPlane; o++) dx[p * inputPlane + indices[p * outputPlane + o]!]! += dy[p * outputPlane + o]!;
  }
}
