import { describe, expect, it } from 'vitest';
import { kernels as k } from './index';
import * as reference from './reference/index';
import { download, upload, worstError } from './testing';

function philoxKernel(c: number[], key: number[]): number[] {
  const p = k.heap.alloc(16);
  k.wasm.philoxBlock(c[0]!, c[1]!, c[2]!, c[3]!, key[0]!, key[1]!, p);
  const out = Array.from(new Uint32Array(k.heap.u8().buffer, p, 4));
  k.heap.free(p);
  return out;
}

describe('Philox4x32-10', () => {
  // Known-answer vectors published with Random123 (kat_vectors: philox4x32_10).
  const vectors = [
    { c: [0, 0, 0, 0], key: [0, 0], want: [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8] },
    { c: [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], key: [0xffffffff, 0xffffffff], want: [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd] },
    { c: [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], key: [0xa4093822, 0x299f31d0], want: [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1] },
  ];
  it('matches the published known-answer vectors, in the kernel and in the reference', () => {
    for (const { c, key, want } of vectors) {
      expect(philoxKernel(c, key)).toEqual(want);
      expect(reference.philox(c[0]!, c[1]!, c[2]!, c[3]!, key[0]!, key[1]!)).toEqual(want);
    }
  });
});

function fill(kind: 'uniform' | 'normal', n: number, seed: bigint, offset: bigint, a: number, b: number): Float32Array {
  const p = upload(k, new Float32Array(n + 1), 1);
  const args = [Number(seed & 0xffffffffn), Number(seed >> 32n), Number(offset & 0xffffffffn), Number(offset >> 32n), a, b, p] as const;
  if (kind === 'uniform') k.wasm.randomUniform(n, ...args);
  else k.wasm.randomNormal(n, ...args);
  const out = download(k, p, n + 1);
  expect(out[n]).toBe(0);
  k.heap.free(p - 4);
  return out.subarray(0, n);
}

describe('random fills', () => {
  it('uniform matches the reference exactly and depends only on (seed, offset, index)', () => {
    for (const n of [1, 3, 17, 1001]) {
      const want = new Float32Array(n);
      reference.randomUniform(n, 42n, 7n, -2, 3, want);
      const got = fill('uniform', n, 42n, 7n, -2, 3);
      expect(Array.from(got)).toEqual(Array.from(want));
    }
    // Element i of a fill at offset o equals element i + 4 of a fill at offset o - 1: blocks are counters.
    expect(Array.from(fill('uniform', 8, 5n, 3n, 0, 1))).toEqual(Array.from(fill('uniform', 12, 5n, 2n, 0, 1).subarray(4)));
    expect(Array.from(fill('uniform', 8, 5n, 3n, 0, 1))).not.toEqual(Array.from(fill('uniform', 8, 6n, 3n, 0, 1)));
    // A 64-bit offset carries into the high word.
    expect(Array.from(fill('uniform', 4, 1n, 0x1_0000_0000n, 0, 1))).not.toEqual(Array.from(fill('uniform', 4, 1n, 0n, 0, 1)));
  });

  it('uniform samples lie in [lo, hi) with the right mean and variance', () => {
    const n = 200_000;
    const x = fill('uniform', n, 1234n, 0n, -1, 3);
    let sum = 0;
    let sq = 0;
    for (const v of x) {
      expect(v >= -1 && v < 3).toBe(true);
      sum += v;
      sq += v * v;
    }
    const mean = sum / n;
    const variance = sq / n - mean * mean;
    // mean 1, variance (4^2)/12 = 4/3; five standard errors of tolerance.
    expect(Math.abs(mean - 1)).toBeLessThan(5 * Math.sqrt(4 / 3 / n));
    expect(Math.abs(variance - 4 / 3)).toBeLessThan(5 * Math.sqrt((16 ** 2 / 180) / n));
  });

  it('normal matches the reference and has the right mean, variance and tails', () => {
    for (const n of [1, 3, 17, 1001]) {
      const want = new Float32Array(n);
      reference.randomNormal(n, 99n, 0n, 0.5, 2, want);
      expect(worstError(fill('normal', n, 99n, 0n, 0.5, 2), want, 1e-6, 1e-6)).toBeLessThanOrEqual(1);
    }
    const n = 200_000;
    const x = fill('normal', n, 2024n, 0n, 0, 1);
    let sum = 0;
    let sq = 0;
    let beyond2 = 0;
    for (const v of x) {
      sum += v;
      sq += v * v;
      if (Math.abs(v) > 2) beyond2++;
    }
    expect(Math.abs(sum / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(sq / n - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    // P(|z| > 2) = 0.0455
    expect(Math.abs(beyond2 / n - 0.0455)).toBeLessThan(5 * Math.sqrt(0.0455 * 0.9545 / n));
  });
});
