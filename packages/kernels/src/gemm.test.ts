import { describe, expect, it } from 'vitest';
import { kernels, simdLevel } from './index';
import * as reference from './reference/index';
import { download, randomArray, seeded, upload, worstError } from './testing';

const k = kernels;

function check(transA: boolean, transB: boolean, M: number, N: number, K: number, alpha = 1, beta = 0, pad = 0, offset = 0): number {
  const random = seeded(M * 1_000_003 + N * 1009 + K * 7 + (transA ? 1 : 0) + (transB ? 2 : 0));
  // Leading dimensions padded by `pad` to test strided operands; `offset` floats misalign every base pointer.
  const lda = (transA ? M : K) + pad;
  const ldb = (transB ? K : N) + pad;
  const ldc = N + pad;
  const a = randomArray((transA ? K : M) * lda, random);
  const b = randomArray((transB ? N : K) * ldb, random);
  const c = randomArray(M * ldc, random);
  const want = c.slice();
  reference.gemm(transA, transB, M, N, K, alpha, a, lda, b, ldb, beta, want, ldc);
  const pa = upload(k, a, offset);
  const pb = upload(k, b, offset);
  const pc = upload(k, c, offset);
  k.gemm(transA, transB, M, N, K, alpha, pa, lda, pb, ldb, beta, pc, ldc);
  const got = download(k, pc, c.length);
  for (const p of [pa, pb, pc]) k.heap.free(p - offset * 4);
  // float32 accumulation over K terms of size <= 1: error grows like sqrt(K) ulps.
  return worstError(got, want, 1e-6 * Math.sqrt(K + 1) * 4, 1e-5);
}

describe(`gemm (${process.env.BACKPROP_EXPECT_SIMD} build)`, () => {
  it('runs the build this project expects', () => {
    expect(simdLevel()).toBe(process.env.BACKPROP_EXPECT_SIMD);
  });

  const sizes = [1, 3, 4, 5, 8, 9, 17, 33, 64, 65];
  // N also 6, 7 and 10, so the last panel has every width from 1 to 8.
  const widths = [...sizes, 6, 7, 10];
  for (const transA of [false, true]) {
    for (const transB of [false, true]) {
      it(`matches the reference for every M, K in {${sizes.join(',')}} and N in {${widths.join(',')}}, transA=${transA} transB=${transB}`, () => {
        for (const M of sizes) for (const N of widths) for (const K of [1, 3, 17, 64]) {
          const err = check(transA, transB, M, N, K);
          if (!(err <= 1)) throw new Error(`M=${M} N=${N} K=${K}: error ratio ${err}`);
        }
      });
    }
  }

  it('handles alpha, beta, padded leading dimensions and unaligned pointers', () => {
    for (const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      expect(check(transA, transB, 13, 19, 23, 0.5, 0.25, 3, 1)).toBeLessThanOrEqual(1);
      expect(check(transA, transB, 7, 8, 257, -2, 1, 1, 3)).toBeLessThanOrEqual(1);
      // Under 4 rows: the path that reads B in place (N 23: rows in threes, two alone, then the last 3 in the order of single dot products).
      expect(check(transA, transB, 3, 23, 37, 0.5, 0.25, 3, 1)).toBeLessThanOrEqual(1);
      expect(check(transA, transB, 1, 23, 37, -2, 1, 1, 3)).toBeLessThanOrEqual(1);
    }
  });

  it('matches on large and odd shapes (257, 784)', () => {
    expect(check(false, false, 257, 129, 257)).toBeLessThanOrEqual(1);
    expect(check(false, true, 128, 256, 784)).toBeLessThanOrEqual(1);
    expect(check(true, false, 257, 33, 130)).toBeLessThanOrEqual(1);
  });

  it('never reads C when beta = 0 (NaN in C does not leak)', () => {
    const a = new Float32Array([1, 2, 3, 4]);
    const pa = upload(k, a);
    const pc = upload(k, new Float32Array([Number.NaN, Number.NaN, Number.NaN, Number.NaN]));
    k.gemm(false, false, 2, 2, 2, 1, pa, 2, pa, 2, 0, pc, 2);
    expect(Array.from(download(k, pc, 4))).toEqual([7, 10, 15, 22]);
    k.heap.free(pa);
    k.heap.free(pc);
  });

  it('leaves C untouched for K = 0 scaled by beta, and does nothing for M = 0 or N = 0', () => {
    const pc = upload(k, new Float32Array([1, 2, 3, 4]));
    k.gemm(false, false, 2, 2, 0, 1, pc, 1, pc, 2, 0.5, pc, 2);
    expect(Array.from(download(k, pc, 4))).toEqual([0.5, 1, 1.5, 2]);
    k.gemm(false, false, 0, 2, 2, 1, pc, 2, pc, 2, 0, pc, 2);
    expect(Array.from(download(k, pc, 4))).toEqual([0.5, 1, 1.5, 2]);
    k.heap.free(pc);
  });

  it('K = 0 with beta = 0 writes zeros over leftover memory and keeps C with beta = 1, on every path', () => {
    for (const M of [1, 3, 4, 9]) {
      for (const transA of [false, true]) {
        // Padded rows (ldc 5 for N 3): the padding must stay as it was.
        const c = Float32Array.from({ length: M * 5 }, (_, i) => (i % 5 < 3 ? Number.NaN : 7));
        const pc = upload(k, c);
        k.gemm(transA, true, M, 3, 0, 1, pc, 1, pc, 1, 0, pc, 5);
        expect(Array.from(download(k, pc, M * 5)), `M=${M} beta=0`).toEqual(Array.from(c, (v) => (Number.isNaN(v) ? 0 : 7)));
        k.heap.floats(pc, M * 5).set(c.map((v, i) => (Number.isNaN(v) ? i : 7)));
        k.gemm(transA, false, M, 3, 0, 1, pc, 1, pc, 3, 1, pc, 5);
        expect(Array.from(download(k, pc, M * 5)), `M=${M} beta=1`).toEqual(Array.from(c, (v, i) => (Number.isNaN(v) ? i : 7)));
        k.heap.free(pc);
      }
    }
  });
});

describe('gemmBatched', () => {
  it('matches one reference GEMM per matrix: strided stacks, a shared B (packed once), transposes, few rows', () => {
    const random = seeded(31);
    for (const [count, M, N, K, transA, transB, shareB] of [
      [3, 5, 7, 9, false, false, false], [4, 17, 9, 33, true, false, true], [2, 3, 8, 5, false, true, true],
      [5, 2, 3, 4, false, false, false], [1, 64, 64, 64, false, true, false], [6, 4, 1, 7, true, true, true],
    ] as const) {
      const [lda, ldb, ldc] = [(transA ? M : K) + 1, (transB ? K : N) + 2, N + 3];
      const [strideA, strideB, strideC] = [(transA ? K : M) * lda + 5, shareB ? 0 : (transB ? N : K) * ldb + 1, M * ldc + 2];
      const a = randomArray(count * strideA, random);
      const b = randomArray(shareB ? (transB ? N : K) * ldb : count * strideB, random);
      const c = randomArray(count * strideC, random);
      const want = c.slice();
      for (let i = 0; i < count; i++) {
        reference.gemm(transA, transB, M, N, K, 0.5, a.subarray(i * strideA), lda, b.subarray(i * strideB), ldb, 0.25, want.subarray(i * strideC), ldc);
      }
      const [pa, pb, pc] = [upload(k, a), upload(k, b), upload(k, c)];
      k.gemmBatched(count, transA, transB, M, N, K, 0.5, pa, lda, strideA, pb, ldb, strideB, 0.25, pc, ldc, strideC);
      const err = worstError(download(k, pc, c.length), want, 1e-6 * Math.sqrt(K + 1) * 4, 1e-5);
      expect(err, `${count}x ${M}x${N}x${K} transA=${transA} transB=${transB} shared B=${shareB}`).toBeLessThanOrEqual(1);
      for (const p of [pa, pb, pc]) k.heap.free(p);
    }
  });
});

describe('gemmIndirect', () => {
  it('matches the reference: A read through row and column offset tables, every edge of the 4x8 tile, alpha, beta, transB', () => {
    const random = seeded(77);
    for (const [M, N, K, transB] of [[1, 1, 1, false], [3, 6, 25, true], [17, 16, 150, true], [257, 9, 7, false], [4, 8, 1, false], [33, 3, 40, true]] as const) {
      const base = randomArray(M * 3 + K * 5 + 11, random);
      // Offsets as a convolution makes them: rows step through positions, columns through the window; overlapping reads.
      const rows = Int32Array.from({ length: M }, (_, i) => i * 3 + (i % 2));
      const cols = Int32Array.from({ length: K }, (_, kk) => (kk * 5) % (K * 5 + 1));
      const ldb = (transB ? K : N) + 1;
      const b = randomArray((transB ? N : K) * ldb, random);
      const c = randomArray(M * (N + 2), random);
      const want = c.slice();
      reference.gemmIndirect(M, N, K, 0.5, base, rows, cols, transB, b, ldb, 0.25, want, N + 2);
      const [pbase, prows, pcols, pb, pc] = [upload(k, base, 1), upload(k, rows), upload(k, cols), upload(k, b), upload(k, c)];
      k.gemmIndirect(M, N, K, 0.5, pbase, prows, pcols, transB, pb, ldb, 0.25, pc, N + 2);
      const err = worstError(download(k, pc, c.length), want, 1e-6 * Math.sqrt(K + 1) * 4, 1e-5);
      expect(err, `${M}x${N}x${K} transB=${transB}`).toBeLessThanOrEqual(1);
      for (const p of [pbase - 4, prows, pcols, pb, pc]) k.heap.free(p);
    }
  });
});
