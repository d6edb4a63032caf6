import { describe, expect, it } from 'vitest';
import { kernels as k } from './index';
import * as reference from './reference/index';
import { download, randomArray, seeded, upload, worstError } from './testing';

type Elementwise = 'bce' | 'bceWithLogits' | 'mse';

function inputs(name: Elementwise, n: number, random: () => number): [Float32Array, Float32Array] {
  const x = name === 'bce' ? randomArray(n, random, 0, 1) : randomArray(n, random, -8, 8);
  if (n > 4) x.set(name === 'bce' ? [0, 1] : [100, -100], 0); // the edges: log(0) clamped, |logit| = 100
  const t = Float32Array.from({ length: n }, () => (random() < 0.5 ? 0 : 1));
  if (name === 'mse') t.set(randomArray(n, random, -3, 3));
  return [x, t];
}

describe('elementwise losses', () => {
  const random = seeded(31);
  for (const name of ['bce', 'bceWithLogits', 'mse'] as const) {
    it(`${name} forward and backward (per element, and with a scalar upstream and scale) match the reference`, () => {
      for (const n of [1, 3, 17, 257]) {
        const [x, t] = inputs(name, n, random);
        const want = new Float32Array(n);
        reference[name](n, x, t, want);
        const [px, pt, po] = [upload(k, x, 1), upload(k, t, 2), upload(k, new Float32Array(n + 1))];
        k.wasm[name](n, px, pt, po);
        const got = download(k, po, n + 1);
        expect(got[n]).toBe(0);
        expect(worstError(got.subarray(0, n), want, 1e-6, 1e-5), `${name} forward n=${n}`).toBeLessThanOrEqual(1);
        expect(Number.isFinite(Math.max(...got))).toBe(true);
        for (const [dyStep, scale] of [[1, 1], [0, 1 / n]] as const) {
          const dy = randomArray(n, random);
          const dx = new Float32Array(n);
          const backward = `${name}Backward` as const;
          reference[backward](n, x, t, dy, dyStep, scale, dx);
          const [pdy, pdx] = [upload(k, dy, 3), upload(k, new Float32Array(n))];
          k.wasm[backward](n, px, pt, pdy, dyStep, scale, pdx);
          // bce's gradient at p = 0 or 1 is (p - t) / 1e-12: compare relatively.
          expect(worstError(download(k, pdx, n), dx, 1e-6, 1e-5), `${name} backward n=${n}`).toBeLessThanOrEqual(1);
          k.heap.free(pdy - 12);
          k.heap.free(pdx);
        }
        for (const [p, off] of [[px, 1], [pt, 2], [po, 0]] as const) k.heap.free(p - off * 4);
      }
    });
  }
});

describe('cross-entropy from logits and int32 labels', () => {
  const random = seeded(32);
  it('forward and backward match the reference, with ignored rows', () => {
    for (const [n, c] of [[1, 1], [1, 3], [4, 10], [7, 17], [64, 10], [3, 257]] as const) {
      const x = randomArray(n * c, random, -6, 6);
      x[0] = 100;
      const labels = Int32Array.from({ length: n }, () => Math.floor(random() * c));
      if (n > 2) labels[1] = -100; // ignoreIndex
      const want = new Float32Array(n);
      expect(reference.crossEntropy(n, c, x, labels, -100, want)).toBe(-1);
      const [px, pl, po] = [upload(k, x, 1), upload(k, labels), upload(k, new Float32Array(n))];
      expect(k.wasm.crossEntropy(n, c, px, pl, -100, po)).toBe(-1);
      expect(worstError(download(k, po, n), want, 1e-5, 1e-5), `forward ${n}x${c}`).toBeLessThanOrEqual(1);
      const dy = new Float32Array([0.25]);
      const dx = new Float32Array(n * c);
      reference.crossEntropyBackward(n, c, x, labels, -100, dy, 0, 1 / n, dx);
      const [pdy, pdx] = [upload(k, dy), upload(k, new Float32Array(n * c))];
      k.wasm.crossEntropyBackward(n, c, px, pl, -100, pdy, 0, 1 / n, pdx);
      expect(worstError(download(k, pdx, n * c), dx, 1e-7, 1e-5), `backward ${n}x${c}`).toBeLessThanOrEqual(1);
      for (const [p, off] of [[px, 1], [pl, 0], [po, 0], [pdy, 0], [pdx, 0]] as const) k.heap.free(p - off * 4);
    }
  });

  it('reports the first row whose label is out of range', () => {
    const px = upload(k, new Float32Array(6));
    const po = upload(k, new Float32Array(2));
    for (const [labels, row] of [[[0, 3], 1], [[-1, 0], 0], [[2, 1], -1]] as const) {
      const pl = upload(k, Int32Array.from(labels));
      expect(k.wasm.crossEntropy(2, 3, px, pl, -100, po)).toBe(row);
      k.heap.free(pl);
    }
    k.heap.free(px);
    k.heap.free(po);
  });
});
