import { describe, expect, it } from 'vitest';
import { kernels as k } from './index';
import * as reference from './reference/index';
import { download, randomArray, seeded, upload } from './testing';

const names = Object.keys(reference.binaryOps) as (keyof typeof reference.binaryOps)[];

/** Random values with NaN, infinities, zeros and repeats mixed in, to reach every branch. */
function tricky(n: number, random: () => number): Float32Array {
  const specials = [Number.NaN, Infinity, -Infinity, 0, -0, 1, -1];
  const out = randomArray(n, random, -3, 3);
  for (let i = 0; i < n; i++) if (random() < 0.1) out[i] = specials[Math.floor(random() * specials.length)]!;
  return out;
}

describe('binary', () => {
  const random = seeded(7);
  for (const name of names) {
    it(`${name} matches the reference for every broadcast pattern, strided views, every size and alignment`, () => {
      for (const [rows, cols] of [[1, 1], [1, 3], [3, 17], [5, 4], [2, 257], [17, 1], [0, 5], [4, 0]] as const) {
        // Column strides 0 (broadcast) and 1 (contiguous) run in SIMD; 2 and 3 are strided views.
        for (const [aCol, bCol] of [[1, 1], [1, 0], [0, 1], [0, 0], [2, 1], [1, 3], [3, 0], [2, 2]] as const) {
          for (const [aRowFull, bRowFull] of [[true, true], [true, false], [false, true]] as const) {
            const aRow = aRowFull ? cols * aCol || 1 : 0;
            const bRow = bRowFull ? cols * bCol || 1 : 0;
            const a = tricky(Math.max(1, rows * Math.max(aRow, 1) + cols * Math.max(aCol, 1)), random);
            const b = tricky(Math.max(1, rows * Math.max(bRow, 1) + cols * Math.max(bCol, 1)), random);
            const want = new Float32Array(rows * cols);
            reference.binary(name, rows, cols, a, aRow, aCol, b, bRow, bCol, want);
            const offset = (rows + cols) % 3;
            const pa = upload(k, a, offset);
            const pb = upload(k, b, offset + 1);
            const po = upload(k, new Float32Array(rows * cols + 1), 2);
            k.binary(name, rows, cols, pa, aRow, aCol, pb, bRow, bCol, po);
            const got = download(k, po, rows * cols + 1);
            // float32 +-*/ are exactly rounded, so kernel and reference agree bit for bit; nothing past the end is written.
            expect(Array.from(got.subarray(0, rows * cols))).toEqual(Array.from(want));
            expect(got[rows * cols]).toBe(0);
            for (const [p, off] of [[pa, offset], [pb, offset + 1], [po, 2]] as const) k.heap.free(p - off * 4);
          }
        }
      }
    });
  }

  it('computes [[1, 2], [3, 4]] + [10, 20] by broadcasting the row', () => {
    const pa = upload(k, new Float32Array([1, 2, 3, 4]));
    const pb = upload(k, new Float32Array([10, 20]));
    const po = upload(k, new Float32Array(4));
    k.binary('add', 2, 2, pa, 2, 1, pb, 0, 1, po);
    expect(Array.from(download(k, po, 4))).toEqual([11, 22, 13, 24]);
    for (const p of [pa, pb, po]) k.heap.free(p);
  });

  it('axpby and fill match the reference', () => {
    for (const n of [0, 1, 3, 17, 257]) {
      const a = randomArray(n, random);
      const b = randomArray(n, random);
      const want = new Float32Array(n);
      reference.axpby(n, 0.5, a, -2, b, want);
      const [pa, pb, po] = [upload(k, a, 1), upload(k, b, 2), upload(k, new Float32Array(n + 1), 3)];
      k.wasm.axpby(n, 0.5, pa, -2, pb, po);
      expect(Array.from(download(k, po, n))).toEqual(Array.from(want));
      k.wasm.fill(n, 7.5, po);
      const filled = download(k, po, n + 1);
      expect(Array.from(filled.subarray(0, n))).toEqual(new Array<number>(n).fill(7.5));
      expect(filled[n]).toBe(0);
      for (const [p, off] of [[pa, 1], [pb, 2], [po, 3]] as const) k.heap.free(p - off * 4);
    }
  });
});

describe('copy', () => {
  it('copies bytes, overlapping regions included', () => {
    const p = upload(k, new Float32Array([1, 2, 3, 4, 5, 6]));
    k.wasm.copy(p + 4, p, 12);
    expect(Array.from(download(k, p, 6))).toEqual([1, 1, 2, 3, 5, 6]);
    k.heap.free(p);
  });
});

describe('the binary table', () => {
  it("names a WASM export of 9 parameters for each op of the reference's table", () => {
    expect(names).toHaveLength(12);
    for (const name of names) expect(k.wasm[name].length, name).toBe(9);
  });
});

describe('transpose', () => {
  it('matches the reference for edge shapes, stacks of matrices and unaligned pointers', () => {
    const random = seeded(8);
    for (const [count, rows, cols] of [[1, 1, 1], [1, 1, 7], [1, 7, 1], [1, 4, 4], [1, 5, 9], [1, 17, 33], [1, 64, 3], [1, 257, 13], [3, 5, 9], [17, 4, 3], [2, 1, 6]] as const) {
      const n = count * rows * cols;
      const x = randomArray(n, random);
      const want = new Float32Array(n);
      reference.transpose(count, rows, cols, x, want);
      const [px, py] = [upload(k, x, 1), upload(k, new Float32Array(n + 1), 2)];
      k.transpose(count, rows, cols, px, py);
      const got = download(k, py, n + 1);
      expect(Array.from(got.subarray(0, n))).toEqual(Array.from(want));
      expect(got[n]).toBe(0);
      k.heap.free(px - 4);
      k.heap.free(py - 8);
    }
  });
});

describe('copyStrided', () => {
  it('gathers and scatters through any strides, as the reference: contiguous rows, transposes, and the rest', () => {
    const random = seeded(12);
    // [rows, cols, srcRow, srcCol, dstRow, dstCol]: rows copied whole, a transpose both ways, every other
    // element, a broadcast read (stride 0), and a scatter into a wider destination.
    const cases = [
      [3, 5, 5, 1, 5, 1], [1, 1, 1, 1, 1, 1], [17, 33, 40, 1, 33, 1],
      [7, 9, 1, 7, 9, 1], [33, 17, 1, 33, 17, 1], [4, 4, 1, 4, 4, 1], [5, 3, 1, 6, 3, 1],
      [4, 6, 12, 2, 6, 1], [5, 7, 0, 1, 7, 1], [6, 2, 2, 1, 5, 2], [3, 257, 1, 3, 257, 1],
    ] as const;
    for (const [rows, cols, srcRow, srcCol, dstRow, dstCol] of cases) {
      const srcLength = (rows - 1) * srcRow + (cols - 1) * srcCol + 1;
      const dstLength = (rows - 1) * dstRow + (cols - 1) * dstCol + 1;
      const src = randomArray(srcLength, random);
      const before = randomArray(dstLength + 1, random);
      const want = before.slice();
      reference.copyStrided(rows, cols, src, srcRow, srcCol, want, dstRow, dstCol);
      const [ps, pd] = [upload(k, src, 1), upload(k, before, 3)];
      k.wasm.copyStrided(rows, cols, ps, srcRow, srcCol, pd, dstRow, dstCol);
      expect(Array.from(download(k, pd, dstLength + 1)), `${rows}x${cols} ${srcRow},${srcCol} -> ${dstRow},${dstCol}`).toEqual(Array.from(want));
      k.heap.free(ps - 4);
      k.heap.free(pd - 12);
    }
  });
});
