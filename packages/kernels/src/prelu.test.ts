import { describe, expect, it } from 'vitest';
import { kernels as k } from './index';
import * as reference from './reference/index';
import { download, randomArray, seeded, upload, worstError } from './testing';

describe('prelu', () => {
  const random = seeded(3);
  for (const [outer, channels, inner] of [[1, 1, 1], [4, 1, 17], [3, 5, 1], [2, 3, 7], [8, 16, 9], [1, 1, 257]] as const) {
    it(`forward and backward match the reference for [${outer}, ${channels}, ${inner}]`, () => {
      const n = outer * channels * inner;
      const x = randomArray(n, random, -3, 3);
      x[0] = 0; // the kink: PyTorch takes the alpha branch at 0
      const alpha = randomArray(channels, random, 0, 0.5);
      const dy = randomArray(n, random);
      const y = new Float32Array(n);
      const dx = new Float32Array(n);
      const dalpha = new Float32Array(channels);
      reference.prelu(outer, channels, inner, x, alpha, y);
      reference.preluBackward(outer, channels, inner, x, alpha, dy, dx, dalpha);
      const [px, pa, pdy] = [upload(k, x, 1), upload(k, alpha, 2), upload(k, dy, 3)];
      const [py, pdx, pda] = [upload(k, new Float32Array(n)), upload(k, new Float32Array(n)), upload(k, new Float32Array(channels).fill(99))];
      k.wasm.prelu(outer, channels, inner, px, pa, py);
      k.wasm.preluBackward(outer, channels, inner, px, pa, pdy, pdx, pda);
      expect(Array.from(download(k, py, n))).toEqual(Array.from(y));
      expect(Array.from(download(k, pdx, n))).toEqual(Array.from(dx));
      expect(worstError(download(k, pda, channels), dalpha, 1e-6, 1e-5)).toBeLessThanOrEqual(1);
      for (const [p, off] of [[px, 1], [pa, 2], [pdy, 3], [py, 0], [pdx, 0], [pda, 0]] as const) k.heap.free(p - off * 4);
    });
  }
});
