// Helpers for the kernels' tests: seeded random data and copies in and out of the heap.
import type { Kernels } from './kernels';

/** A small seeded generator (mulberry32) so failing cases reproduce. */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomArray(n: number, random: () => number, lo = -1, hi = 1): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * random();
  return out;
}

/** Copies `data` into a fresh heap block, at `offset` floats past its (aligned) start to test misalignment. */
export function upload(k: Kernels, data: Float32Array | Int32Array, offset = 0): number {
  const ptr = k.heap.alloc((data.length + offset) * 4) + offset * 4;
  if (data instanceof Float32Array) k.heap.floats(ptr, data.length).set(data);
  else k.heap.ints(ptr, data.length).set(data);
  return ptr;
}

export function download(k: Kernels, ptr: number, n: number): Float32Array {
  return k.heap.floats(ptr, n).slice();
}

export function downloadInt(k: Kernels, ptr: number, n: number): Int32Array {
  return k.heap.ints(ptr, n).slice();
}

/** Largest |got - want| / (atol + rtol |want|); <= 1 passes. NaN where exactly one side is NaN. */
export function worstError(got: ArrayLike<number>, want: ArrayLike<number>, atol: number, rtol: number): number {
  if (got.length !== want.length) throw new Error(`length ${got.length} != ${want.length}`);
  let worst = 0;
  for (let i = 0; i < got.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if (Number.isNaN(g) || Number.isNaN(w)) {
      if (Number.isNaN(g) !== Number.isNaN(w)) return Number.NaN;
      continue;
    }
    if (g === w) continue;
    worst = Math.max(worst, Math.abs(g - w) / (atol + rtol * Math.abs(w)));
  }
  return worst;
}

/**
 * The first index where two float arrays differ in their bits, -1 when they are bitwise the same (as toEqual
 * would say, but a plain loop: toEqual takes most of a second on 2^18 elements).
 */
export function firstDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} != ${b.length}`);
  const [x, y] = [new Uint32Array(a.buffer, a.byteOffset, a.length), new Uint32Array(b.buffer, b.byteOffset, b.length)];
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i;
  return -1;
}
