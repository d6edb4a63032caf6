import { describe, expect, it } from 'vitest';
import { kernels as k } from './index';
import * as reference from './reference/index';
import { download, randomArray, seeded, upload, worstError } from './testing';

// [images, channels, inner]: BatchNorm1d's [N, C] (inner 1), rows of 3, 4, 17 and 257 (vectors and tails), one
// image, one channel, LeNet-sized planes.
const shapes = [[1, 1, 1], [5, 3, 1], [2, 3, 3], [4, 5, 4], [3, 2, 17], [2, 4, 257], [1, 1, 6], [64, 6, 196]] as const;

/** Frees heap blocks uploaded at an offset of 0. */
const free = (...pointers: number[]): void => pointers.forEach((p) => k.heap.free(p));

describe('batch norm kernels against their references', () => {
  const random = seeded(11);
  for (const [images, channels, inner] of shapes) {
    const n = images * channels * inner;
    // Values away from 0 with a spread, so the variance is not tiny next to the mean.
    const x = randomArray(n, random, -2, 5);
    const dy = randomArray(n, random);
    const perChannel = (lo: number, hi: number): Float32Array => randomArray(channels, random, lo, hi);

    it(`statistics: mean and biased variance per channel, from float64 sums (${images}x${channels}x${inner})`, () => {
      const [mean, variance] = [new Float64Array(channels), new Float64Array(channels)];
      reference.batchNormStats(images, channels, inner, 0, channels, x, mean, variance);
      const [px, pm, pv] = [upload(k, x), upload(k, new Float32Array(channels)), upload(k, new Float32Array(channels))];
      k.batchNormStats(images, channels, inner, px, pm, pv);
      // float64 sums: the mean within float32 rounding; the variance's summands are float32 products.
      expect(worstError(download(k, pm, channels), mean, 1e-7, 2e-7)).toBeLessThanOrEqual(1);
      expect(worstError(download(k, pv, channels), variance, 1e-7, 1e-6)).toBeLessThanOrEqual(1);
      free(px, pm, pv);
    });

    it(`the gradient's sums and dx, training and evaluation; the affine normalisation (${images}x${channels}x${inner})`, () => {
      const [mean, meanDy, kk, invstd, w] = [perChannel(-1, 3), perChannel(-1, 1), perChannel(-0.5, 0.5), perChannel(0.2, 2), perChannel(-2, 2)];
      const [sumDy, dot] = [new Float64Array(channels), new Float64Array(channels)];
      reference.batchNormBackwardStats(images, channels, inner, 0, channels, x, dy, mean, sumDy, dot);
      const pointers = [x, dy, mean, meanDy, kk, invstd, w].map((v) => upload(k, v));
      const [px, pdy, pmean, pmeanDy, pk, pinvstd, pw] = pointers as [number, number, number, number, number, number, number];
      const [ps, pd] = [upload(k, new Float32Array(channels)), upload(k, new Float32Array(channels))];
      k.batchNormBackwardStats(images, channels, inner, px, pdy, pmean, ps, pd);
      expect(worstError(download(k, ps, channels), sumDy, 1e-6, 1e-6)).toBeLessThanOrEqual(1);
      expect(worstError(download(k, pd, channels), dot, 1e-6, 1e-6)).toBeLessThanOrEqual(1);
      for (const training of [true, false]) {
        const want = new Float64Array(n);
        reference.batchNormBackwardInput(images, channels, inner, 0, channels, training ? 1 : 0, x, dy, mean, meanDy, kk, invstd, w, want);
        const pdx = upload(k, new Float32Array(n + 1).fill(7));
        k.batchNormBackwardInput(images, channels, inner, training, px, pdy, pmean, pmeanDy, pk, pinvstd, pw, pdx);
        const got = download(k, pdx, n + 1);
        expect(worstError(got.subarray(0, n), want, 1e-6, 1e-6), `training ${training}`).toBeLessThanOrEqual(1);
        expect(got[n]).toBe(7); // nothing written past the end
        free(pdx);
      }
      const want = new Float64Array(n);
      reference.channelAffine(images, channels, inner, 0, channels, x, invstd, meanDy, want);
      const py = upload(k, new Float32Array(n));
      k.channelAffine(images, channels, inner, px, pinvstd, pmeanDy, py);
      expect(worstError(download(k, py, n), want, 1e-6, 1e-6)).toBeLessThanOrEqual(1);
      free(...pointers, ps, pd, py);
    });
  }

  it('evaluation dx never reads x: an infinite input gives a finite gradient (dy invstd w, as PyTorch)', () => {
    const x = Float32Array.from([Infinity, -Infinity, NaN, 1]);
    const pointers = [x, Float32Array.from([1, 2, 3, 4]), new Float32Array(1), new Float32Array(1), new Float32Array(1), Float32Array.from([0.5]), Float32Array.from([3])].map((v) => upload(k, v));
    const pdx = upload(k, new Float32Array(4));
    const [px, pdy, pmean, pmeanDy, pk, pinvstd, pw] = pointers as [number, number, number, number, number, number, number];
    k.batchNormBackwardInput(4, 1, 1, false, px, pdy, pmean, pmeanDy, pk, pinvstd, pw, pdx);
    expect(Array.from(download(k, pdx, 4))).toEqual([1.5, 3, 4.5, 6]);
    free(...pointers, pdx);
  });

  it('each wasm kernel touches only its channels [c0, c1)', () => {
    const [images, channels, inner] = [3, 5, 6];
    const random = seeded(5);
    const x = randomArray(images * channels * inner, random);
    const [px, pm, pv] = [upload(k, x), upload(k, new Float32Array(channels).fill(9)), upload(k, new Float32Array(channels).fill(9))];
    k.wasm.batchNormStats(images, channels, inner, 1, 3, px, pm, pv);
    const [mean, variance] = [download(k, pm, channels), download(k, pv, channels)];
    expect([mean[0], mean[3], mean[4], variance[0], variance[4]]).toEqual([9, 9, 9, 9, 9]);
    const want = [new Float64Array(channels), new Float64Array(channels)] as const;
    reference.batchNormStats(images, channels, inner, 1, 3, x, ...want);
    expect(worstError(mean.subarray(1, 3), want[0].subarray(1, 3), 1e-7, 2e-7)).toBeLessThanOrEqual(1);
    const py = upload(k, new Float32Array(images * channels * inner).fill(9));
    k.wasm.channelAffine(images, channels, inner, 2, 3, px, pm, pv, py);
    const y = download(k, py, images * channels * inner);
    y.forEach((v, i) => expect(v === 9).toBe(Math.floor(i / inner) % channels !== 2));
    free(px, pm, pv, py);
  });
});
