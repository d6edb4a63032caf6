import { describe, expect, it } from 'vitest';
import { kernels as k } from './index';
import * as reference from './reference/index';
import { download, downloadInt, randomArray, seeded, upload, worstError } from './testing';

const shapes = [[1, 1, 1], [1, 17, 1], [3, 5, 1], [2, 257, 1], [1, 1000, 1], [4, 3, 7], [2, 9, 17], [3, 1, 4], [5, 4, 3], [1, 0, 1], [2, 0, 3]] as const;

describe('reduce', () => {
  const random = seeded(21);
  for (const name of ['sum', 'mean', 'max'] as const) {
    it(`${name} over the middle axis of [outer, len, inner] matches the reference`, () => {
      for (const [outer, len, inner] of shapes) {
        if (len === 0 && name === 'max') continue; // an empty max is rejected by the caller (an empty mean is NaN)
        const x = randomArray(outer * len * inner, random, -2, 2);
        const want = new Float32Array(outer * inner);
        reference.reduce(name, outer, len, inner, x, want);
        const px = upload(k, x, 1);
        const po = upload(k, new Float32Array(outer * inner + 1), 2);
        k.reduce(name, outer, len, inner, px, po);
        const got = download(k, po, outer * inner + 1);
        expect(got[outer * inner]).toBe(0);
        // float32 sums of len terms in a different order: error grows like len ulps at worst.
        expect(worstError(got.subarray(0, outer * inner), want, 1e-6 * (len + 1), 1e-6 * (len + 1)), `${outer}x${len}x${inner}`).toBeLessThanOrEqual(1);
        k.heap.free(px - 4);
        k.heap.free(po - 8);
      }
    });
  }

  it('firstOutside finds the first value outside [lo, hi] (NaN included) at any position, or -1', () => {
    for (const n of [0, 1, 3, 4, 17, 257]) {
      const x = randomArray(n, random, 0, 1);
      const px = upload(k, x, 1);
      expect(k.wasm.firstOutside(n, px, 0, 1), `n=${n} all inside`).toBe(-1);
      expect(reference.firstOutside(n, x, 0, 1)).toBe(-1);
      k.heap.free(px - 4);
      for (const at of n > 0 ? [0, n >> 1, n - 1] : []) {
        for (const bad of [-1e-7, 1.0000001, Number.NaN, Number.POSITIVE_INFINITY]) {
          const y = x.slice();
          y[at] = bad;
          if (at + 1 < n) y[n - 1] = -5; // a later bad value must not win
          const py = upload(k, y, 3);
          expect(k.wasm.firstOutside(n, py, 0, 1), `n=${n} at=${at} ${bad}`).toBe(reference.firstOutside(n, y, 0, 1));
          expect(reference.firstOutside(n, y, 0, 1)).toBe(at);
          k.heap.free(py - 12);
        }
      }
    }
  });

  it('max propagates NaN from any position, as PyTorch does', () => {
    for (const at of [0, 5, 16, 18]) {
      const x = randomArray(19, random);
      x[at] = Number.NaN;
      const px = upload(k, x);
      const po = upload(k, new Float32Array(1));
      k.reduce('max', 1, 19, 1, px, po);
      expect(download(k, po, 1)[0]).toBeNaN();
      k.heap.free(px);
      k.heap.free(po);
    }
  });

  it('argmax takes the first largest value, NaN counting as largest', () => {
    for (const [outer, len, inner] of shapes.filter(([, len]) => len > 0)) {
      const x = randomArray(outer * len * inner, random);
      if (x.length > 3) {
        x[1] = x[2]!; // a tie
        x[x.length - 1] = Number.NaN;
      }
      const want = new Int32Array(outer * inner);
      reference.argmax(outer, len, inner, x, want);
      const px = upload(k, x);
      const po = upload(k, new Int32Array(outer * inner));
      k.wasm.argmax(outer, len, inner, px, po);
      expect(Array.from(downloadInt(k, po, outer * inner))).toEqual(Array.from(want));
      k.heap.free(px);
      k.heap.free(po);
    }
  });
});

describe('softmax and log-softmax', () => {
  const random = seeded(22);
  for (const log of [false, true]) {
    it(`${log ? 'log-softmax' : 'softmax'} forward and backward match the reference, stable at |x| = 100`, () => {
      for (const [outer, len, inner] of shapes.filter(([, len]) => len > 0)) {
        const n = outer * len * inner;
        const x = randomArray(n, random, -5, 5);
        if (n > 2) x.set([100, -100], 0);
        const y = new Float32Array(n);
        reference.softmax(outer, len, inner, log, x, y);
        const dy = randomArray(n, random);
        const dx = new Float32Array(n);
        reference.softmaxBackward(outer, len, inner, log, y, dy, dx);
        const [px, py, pdy, pdx] = [upload(k, x, 3), upload(k, new Float32Array(n)), upload(k, dy, 1), upload(k, new Float32Array(n))];
        k.wasm.softmax(outer, len, inner, log ? 1 : 0, px, py);
        const gotY = download(k, py, n);
        expect(worstError(gotY, y, 1e-7, 1e-6), `forward ${outer}x${len}x${inner}`).toBeLessThanOrEqual(1);
        k.heap.floats(py, y.length).set(y); // backward from the exact forward, to test backward alone
        k.wasm.softmaxBackward(outer, len, inner, log ? 1 : 0, py, pdy, pdx);
        expect(worstError(download(k, pdx, n), dx, 1e-6, 1e-5), `backward ${outer}x${len}x${inner}`).toBeLessThanOrEqual(1);
        for (const [p, off] of [[px, 3], [py, 0], [pdy, 1], [pdx, 0]] as const) k.heap.free(p - off * 4);
      }
    });
  }
});
