import { describe, expect, it } from 'vitest';
import { kernels as k } from './index';
import * as reference from './reference/index';
import { unaryKernels, type UnaryOpName } from './reference/unary';
import { download, randomArray, seeded, upload, worstError } from './testing';

const FLT_MIN = 1.1754943508222875e-38;

function runUnary(op: UnaryOpName, x: Float32Array, p = 0, offset = 1): Float32Array {
  const px = upload(k, x, offset);
  const py = upload(k, new Float32Array(x.length + 1), offset + 1);
  k.unary(op, x.length, px, py, p);
  const got = download(k, py, x.length + 1);
  expect(got[x.length]).toBe(0); // nothing written past the end
  k.heap.free(px - offset * 4);
  k.heap.free(py - (offset + 1) * 4);
  return got.subarray(0, x.length);
}

/** Worst relative error against Math (float64, rounded to float32) where the result is a normal float32. */
function worstRelative(got: Float32Array, x: Float32Array, fn: (v: number) => number): { err: number; at: number } {
  let err = 0;
  let at = Number.NaN;
  for (let i = 0; i < x.length; i++) {
    const want = Math.fround(fn(x[i]!));
    const g = got[i]!;
    if (Number.isNaN(want) || Number.isNaN(g)) {
      if (Number.isNaN(want) !== Number.isNaN(g)) return { err: Infinity, at: x[i]! };
      continue;
    }
    if (want === g) continue;
    const e = Math.abs(want) < FLT_MIN ? (Math.abs(g - want) > 2 ** -149 * 2 ? Infinity : 0) : Math.abs(g - want) / Math.abs(want);
    if (e > err) {
      err = e;
      at = x[i]!;
    }
  }
  return { err, at };
}

/** Floats spread over every exponent in [lo, hi] (uniform in log scale), both signs if asked. */
function spread(n: number, random: () => number, loExp: number, hiExp: number, signed: boolean): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const v = 2 ** (loExp + (hiExp - loExp) * random()) * (1 + random());
    out[i] = signed && random() < 0.5 ? -v : v;
  }
  return out;
}

describe('transcendentals are within 2e-7 relative of Math over the float32 range (sigmoid 3e-7)', () => {
  const random = seeded(11);
  const specials = [0, -0, Infinity, -Infinity, Number.NaN, 1, -1, 1e-45, -1e-45, FLT_MIN, 3.4028234663852886e38];

  it('exp over [-104, 89] and the special values', () => {
    const x = Float32Array.from([...randomArray(200_000, random, -104, 89), ...spread(50_000, random, -40, 7, true), ...specials, 88.72, 88.73, -87.3, -103.9]);
    const { err, at } = worstRelative(runUnary('exp', x), x, Math.exp);
    expect(err, `worst at x = ${at}`).toBeLessThanOrEqual(2e-7);
  });

  it('log over every positive exponent, subnormals included, and the special values', () => {
    const x = Float32Array.from([...spread(250_000, random, -149, 127.9, false), ...randomArray(50_000, random, 0.5, 2), ...specials, -5]);
    const { err, at } = worstRelative(runUnary('log', x), x, Math.log);
    expect(err, `worst at x = ${at}`).toBeLessThanOrEqual(2e-7);
  });

  it('tanh over [-20, 20], tiny and huge magnitudes, and the special values', () => {
    const x = Float32Array.from([...randomArray(200_000, random, -20, 20), ...spread(50_000, random, -140, 127, true), ...specials]);
    const { err, at } = worstRelative(runUnary('tanh', x), x, Math.tanh);
    expect(err, `worst at x = ${at}`).toBeLessThanOrEqual(2e-7);
  });

  it('sigmoid over [-110, 110], both sides of |x| = 87.3 (where the relaxed build changes path), and the special values', () => {
    const edges = [87.29, 87.3, 87.31, -87.29, -87.3, -87.31, 88.73, -88.73, -103.9, -104];
    const head = [...randomArray(200_000, random, -110, 110), ...spread(50_000, random, -140, 7, true), ...specials];
    while (head.length % 4 !== 0) head.push(0.5);
    // Then whole vectors of one edge each, so every lane of the vector takes the near path (or the far one).
    const x = Float32Array.from([...head, ...edges.flatMap((e) => [e, e, e, e])]);
    const { err, at } = worstRelative(runUnary('sigmoid', x), x, (v) => 1 / (1 + Math.exp(-v)));
    // e^x's error, then a sum and a quotient each rounded: 2.4e-7 at worst in this sample, both builds.
    expect(err, `worst at x = ${at}`).toBeLessThanOrEqual(3e-7);
  });
});

describe('every unary kernel of the table matches its reference', () => {
  const random = seeded(5);
  for (const [name, op] of Object.entries(unaryKernels) as [UnaryOpName, reference.UnaryReference][]) {
    const { tolerance, parameters = [0], domain = 'any' } = op.check;
    for (const p of parameters) {
      it(`${name}(p = ${p}) forward on sizes 0, 1, 3, 17, 257 and at |x| = 100, within ${tolerance} relative`, () => {
        for (const n of [0, 1, 3, 17, 257]) {
          const x = randomArray(n, random, -6, 6);
          if (n > 3) x.set([100, -100, 0], 0);
          const want = new Float32Array(n);
          reference.unary(name, n, x, want, p);
          const got = runUnary(name, x, p, n % 4);
          expect(worstError(got, want, 1e-30, tolerance || 1e-30), name).toBeLessThanOrEqual(1);
        }
      });

      it(`${name}(p = ${p}) backward, reading only ${op.reads === 'neither' ? 'dy' : op.reads === 'both' ? 'x and y' : op.reads}`, () => {
        const readsX = op.reads === 'x' || op.reads === 'both';
        const readsY = op.reads === 'y' || op.reads === 'both';
        for (const n of [1, 3, 17, 257]) {
          const x = randomArray(n, random, -6, 6);
          if (n > 3) x.set([100, -100, 1e-3], 0);
          if (domain === 'positive') for (let i = 0; i < n; i++) x[i] = Math.abs(x[i]!) + 0.1;
          const y = new Float32Array(n);
          reference.unary(name, n, x, y, p);
          const dy = randomArray(n, random);
          const want = new Float32Array(n);
          // What the op does not declare it reads is NaN for the reference and address 0 for the kernel.
          reference.unaryBackward(name, n, readsX ? x : null, readsY ? y : null, dy, want, p);
          const [px, py, pdy, pdx] = [upload(k, x, 1), upload(k, y, 2), upload(k, dy, 3), upload(k, new Float32Array(n + 1))];
          k.unaryBackward(name, n, readsX ? px : 0, readsY ? py : 0, pdy, pdx, p);
          const got = download(k, pdx, n + 1);
          expect(got[n]).toBe(0);
          expect(worstError(got.subarray(0, n), want, 1e-7, 1e-6), name).toBeLessThanOrEqual(1);
          for (const [ptr, off] of [[px, 1], [py, 2], [pdy, 3], [pdx, 0]] as const) k.heap.free(ptr - off * 4);
        }
      });
    }
  }

  it('the table names two WASM exports per op, forward (n, x, y, p) and backward (n, x, y, dy, dx, p)', () => {
    const names = Object.keys(unaryKernels) as UnaryOpName[];
    expect(names).toEqual(expect.arrayContaining(['relu', 'sigmoid', 'tanh', 'exp', 'log', 'softplus', 'elu', 'leakyRelu']));
    for (const name of names) {
      expect(k.wasm[name].length, name).toBe(4);
      expect(k.wasm[`${name}Backward`].length, `${name}Backward`).toBe(6);
    }
  });

  it('pow with exponent 0 has gradient 0 everywhere, x = 0 included (PyTorch), in the kernel and the reference', () => {
    const x = new Float32Array([0, 0, -0, 2, -3, 0, 5]);
    const dy = new Float32Array([1, -2, 3, 4, 5, 6, 7]);
    const [px, pdy, pdx] = [upload(k, x), upload(k, dy), upload(k, new Float32Array(7))];
    k.unaryBackward('pow', 7, px, 0, pdy, pdx, 0);
    expect(Array.from(download(k, pdx, 7))).toEqual([0, 0, 0, 0, 0, 0, 0]);
    const want = new Float32Array(7);
    reference.unaryBackward('pow', 7, x, null, dy, want, 0);
    expect(Array.from(want)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    for (const ptr of [px, pdy, pdx]) k.heap.free(ptr);
  });

  it("relu's backward reads only its output y (what autograd saves, as PyTorch)", () => {
    const y = new Float32Array([0, 2, 0, 0.5, 3]);
    const dy = new Float32Array([1, 2, 3, 4, 5]);
    const [py, pdy, pdx] = [upload(k, y), upload(k, dy), upload(k, new Float32Array(5))];
    k.unaryBackward('relu', 5, 0, py, pdy, pdx, 0); // x passed as address 0: never read
    expect(Array.from(download(k, pdx, 5))).toEqual([0, 2, 0, 4, 5]);
    for (const ptr of [py, pdy, pdx]) k.heap.free(ptr);
  });

  it('is stable at |x| = 100: sigmoid, tanh, softplus, elu give finite, exact limits', () => {
    const x = new Float32Array([100, -100]);
    expect(Array.from(runUnary('sigmoid', x))).toEqual([1, Math.fround(Math.exp(-100))]);
    expect(Array.from(runUnary('tanh', x))).toEqual([1, -1]);
    expect(Array.from(runUnary('softplus', x))).toEqual([100, Math.fround(Math.exp(-100))]);
    expect(Array.from(runUnary('elu', x, 1))).toEqual([100, -1]);
  });

  it('propagates NaN through every op of the table', () => {
    for (const name of Object.keys(unaryKernels) as UnaryOpName[]) {
      expect(Number.isNaN(runUnary(name, new Float32Array([Number.NaN, 1, 2, 3, Number.NaN]), 0.5)[4]), name).toBe(true);
      expect(Number.isNaN(runUnary(name, new Float32Array([Number.NaN, 1, 2, 3]), 0.5)[0]), name).toBe(true);
    }
  });
});
