// Philox4x32-10 and the fills built on it, in plain TypeScript.

function mulhilo(a: number, b: number): [number, number] {
  const product = BigInt(a) * BigInt(b);
  return [Number(product >> 32n), Number(product & 0xffffffffn)];
}

export function philox(c0: number, c1: number, c2: number, c3: number, k0: number, k1: number): [number, number, number, number] {
  let [x0, x1, x2, x3] = [c0 >>> 0, c1 >>> 0, c2 >>> 0, c3 >>> 0];
  let [key0, key1] = [k0 >>> 0, k1 >>> 0];
  for (let round = 0; round < 10; round++) {
    const [hi0, lo0] = mulhilo(0xd2511f53, x0);
    const [hi1, lo1] = mulhilo(0xcd9e8d57, x2);
    [x0, x1, x2, x3] = [(hi1 ^ x1 ^ key0) >>> 0, lo1, (hi0 ^ x3 ^ key1) >>> 0, lo0];
    key0 = (key0 + 0x9e3779b9) >>> 0;
    key1 = (key1 + 0xbb67ae85) >>> 0;
  }
  return [x0, x1, x2, x3];
}

function block(seed: bigint, offset: bigint, i: number): [number, number, number, number] {
  const counter = offset + BigInt(i >> 2);
  return philox(Number(counter & 0xffffffffn), Number((counter >> 32n) & 0xffffffffn), 0, 0, Number(seed & 0xffffffffn), Number(seed >> 32n));
}

const unit = (u: number): number => (u >>> 8) / 16777216;

export function randomUniform(n: number, seed: bigint, offset: bigint, lo: number, hi: number, out: Float32Array): void {
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * unit(block(seed, offset, i)[i & 3]!);
}

export function randomNormal(n: number, seed: bigint, offset: bigint, mean: number, std: number, out: Float32Array): void {
  for (let i = 0; i < n; i++) {
    const lanes = block(seed, offset, i);
    const first = i & 2;
    const radius = Math.sqrt(-2 * Math.log(1 - unit(lanes[first]!)));
    const theta = 2 * Math.PI * unit(lanes[first + 1]!);
    out[i] = mean + std * radius * ((i & 1) === 0 ? Math.cos(theta) : Math.sin(theta));
  }
}
