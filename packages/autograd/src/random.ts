// The one seeded generator: a Philox stream addressed by (seed, offset). Every draw advances the offset
// by the blocks it used, so a seed reproduces the same sequence of tensors on either backend.

const DEFAULT_SEED = 0x5eedn;
let seed = DEFAULT_SEED;
let offset = 0n;

/** Seeds the generator (as torch.manual_seed): every later rand/randn/initialiser is reproducible. */
export function manualSeed(value: number | bigint): void {
  const v = BigInt(value);
  if (v < 0n || v >= 1n << 64n) throw new RangeError(`manualSeed: the seed must be in [0, 2^64), got ${value}`);
  seed = v;
  offset = 0n;
}

/** @internal Reserves the Philox blocks for n values; returns (seed, first block). */
export function draw(n: number): [bigint, bigint] {
  const at = offset;
  offset += BigInt(Math.ceil(n / 4));
  return [seed, at];
}

/** The generator's state, to save and restore (e.g. to resume training exactly). */
export function getRngState(): { seed: bigint; offset: bigint } {
  return { seed, offset };
}

export function setRngState(state: { seed: bigint; offset: bigint }): void {
  seed = state.seed;
  offset = state.offset;
}

/**
 * A small seeded generator of floats in [0, 1) (mulberry32) for randomness outside tensors: shuffling orders,
 * test data. Independent of the tensor generator's state.
 */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seeded Fisher-Yates shuffle of 0..n-1 (the one shuffle of the library: data splits, loaders and fit). */
export function permutation(n: number, seed: number): number[] {
  const random = seededRandom(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}
