// A counter-based generator: Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3",
// SC 2011; also PyTorch's CUDA generator). Element i of a fill draws from block (offset + i / 4), lane i % 4,
// so a buffer's values depend only on (seed, offset, i): reproducible however the work is split.

// @ts-ignore: decorator
@inline function mulhi(a: u32, b: u32): u32 {
  return <u32>((<u64>a * <u64>b) >> 32);
}

let r0: u32 = 0, r1: u32 = 0, r2: u32 = 0, r3: u32 = 0;

/** Philox4x32-10 of counter (c0, c1, c2, c3) under key (k0, k1); the result lands in r0..r3. */
function philox(c0: u32, c1: u32, c2: u32, c3: u32, k0: u32, k1: u32): void {
  let x0 = c0, x1 = c1, x2 = c2, x3 = c3;
  for (let round = 0; round < 10; round++) {
    const lo0 = x0 * 0xd2511f53;
    const hi0 = mulhi(x0, 0xd2511f53);
    const lo1 = x2 * 0xcd9e8d57;
    const hi1 = mulhi(x2, 0xcd9e8d57);
    x0 = hi1 ^ x1 ^ k0;
    x1 = lo1;
    x2 = hi0 ^ x3 ^ k1;
    x3 = lo0;
    k0 += 0x9e3779b9;
    k1 += 0xbb67ae85;
  }
  r0 = x0; r1 = x1; r2 = x2; r3 = x3;
}

// @ts-ignore: decorator
@inline function lane(i: i32): u32 {
  return i == 0 ? r0 : i == 1 ? r1 : i == 2 ? r2 : r3;
}

/** 24 random bits as a float in [0, 1). */
// @ts-ignore: decorator
@inline function unit(u: u32): f64 {
  return <f64>(u >>> 8) * (1.0 / 16777216.0);
}

/** out[i] = lo + (hi - lo) * U[0, 1) for i < n, from block offset + i / 4 (offset is a 64-bit block count). */
export function randomUniform(n: i32, seedLo: u32, seedHi: u32, offsetLo: u32, offsetHi: u32, lo: f32, hi: f32, out: usize): void {
  for (let i = 0; i < n; i += 4) {
    const block = (<u64>offsetHi << 32 | <u64>offsetLo) + <u64>(i >> 2);
    philox(<u32>block, <u32>(block >> 32), 0, 0, seedLo, seedHi);
    for (let j = 0; j < 4 && i + j < n; j++) {
      store<f32>(out + <usize>(i + j) * 4, <f32>(<f64>lo + (<f64>hi - <f64>lo) * unit(lane(j))));
    }
  }
}

/**
 * out[i] = mean + std * N(0, 1), Box-Muller on lane pairs (0, 1) and (2, 3) of each block: the first of a pair
 * takes r cos(theta), the second r sin(theta).
 */
export function randomNormal(n: i32, seedLo: u32, seedHi: u32, offsetLo: u32, offsetHi: u32, mean: f32, std: f32, out: usize): void {
  for (let i = 0; i < n; i += 4) {
    const block = (<u64>offsetHi << 32 | <u64>offsetLo) + <u64>(i >> 2);
    philox(<u32>block, <u32>(block >> 32), 0, 0, seedLo, seedHi);
    for (let j = 0; j < 4 && i + j < n; j++) {
      const first = j & ~1;
      const u1 = 1.0 - unit(lane(first)); // (0, 1]: log(u1) is finite
      const theta = 2 * Math.PI * unit(lane(first + 1));
      const radius = Math.sqrt(-2 * Math.log(u1));
      const z = (j & 1) == 0 ? radius * Math.cos(theta) : radius * Math.sin(theta);
      store<f32>(out + <usize>(i + j) * 4, <f32>(<f64>mean + <f64>std * z));
    }
  }
}

/** Raw Philox output of one block, for tests against the published known-answer vectors. */
export function philoxBlock(c0: u32, c1: u32, c2: u32, c3: u32, k0: u32, k1: u32, out: usize): void {
  philox(c0, c1, c2, c3, k0, k1);
  store<u32>(out, r0);
  store<u32>(out, r1, 4);
  store<u32>(out, r2, 8);
  store<u32>(out, r3, 12);
}
