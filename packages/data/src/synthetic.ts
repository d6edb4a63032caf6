// The TensorFlow Playground's 2-D datasets, drawn from autograd's seeded generator. The generator's state is
// saved and restored, so a dataset's seed does not disturb the caller's random stream.
import { getRngState, manualSeed, rand, randn, setRngState, tensor, type Tensor } from '@backprop/autograd';

export interface SyntheticOptions {
  /** Standard deviation of the Gaussian noise added to each point (default 0). */
  noise?: number;
  seed?: number;
}

export interface Synthetic {
  /** Points [n, 2]. */
  x: Tensor;
  /** Labels [n] int32, 0 or 1. */
  y: Tensor;
}

function draws(n: number, seed: number): { uniform: Float32Array | Float64Array | Int32Array; normal: Float32Array | Float64Array | Int32Array } {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`synthetic datasets need a positive integer number of points, got ${n}`);
  const saved = getRngState();
  manualSeed(seed);
  const u = rand([n, 2]);
  const z = randn([n, 2]);
  const out = { uniform: u.values(), normal: z.values() };
  u.dispose();
  z.dispose();
  setRngState(saved);
  return out;
}

function build(n: number, point: (i: number) => [number, number, number], noise: number, normal: ArrayLike<number>): Synthetic {
  const xs = new Float32Array(n * 2);
  const ys = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const [a, b, label] = point(i);
    xs[2 * i] = a + noise * normal[2 * i]!;
    xs[2 * i + 1] = b + noise * normal[2 * i + 1]!;
    ys[i] = label;
  }
  return { x: tensor(xs, { shape: [n, 2] }), y: tensor(ys, { dtype: 'int32' }) };
}

/** XOR: points in [-5, 5]^2 (kept 0.3 off the axes); label 1 where x1 x2 > 0. */
export function xor(n: number, { noise = 0, seed = 0 }: SyntheticOptions = {}): Synthetic {
  const { uniform, normal } = draws(n, seed);
  const pad = (v: number): number => (v >= 0 ? v + 0.3 : v - 0.3);
  return build(n, (i) => {
    const a = pad(uniform[2 * i]! * 9.4 - 4.7);
    const b = pad(uniform[2 * i + 1]! * 9.4 - 4.7);
    return [a, b, a * b > 0 ? 1 : 0];
  }, noise, normal);
}

/** Two concentric groups: label 1 within radius 2.5, label 0 on a ring from 3.5 to 5. */
export function circles(n: number, { noise = 0, seed = 0 }: SyntheticOptions = {}): Synthetic {
  const { uniform, normal } = draws(n, seed);
  return build(n, (i) => {
    const inside = i % 2 === 0;
    const r = inside ? uniform[2 * i]! * 2.5 : 3.5 + uniform[2 * i]! * 1.5;
    const angle = uniform[2 * i + 1]! * 2 * Math.PI;
    return [r * Math.sin(angle), r * Math.cos(angle), inside ? 1 : 0];
  }, noise, normal);
}

/** Two Gaussian clouds centred on (2, 2) (label 1) and (-2, -2) (label 0), unit spread. */
export function gaussians(n: number, { noise = 0, seed = 0 }: SyntheticOptions = {}): Synthetic {
  const { uniform, normal } = draws(n, seed);
  return build(n, (i) => {
    const positive = i % 2 === 0;
    const c = positive ? 2 : -2;
    // Box-Muller from the uniform draws, so the noise draws stay independent.
    const r = Math.sqrt(-2 * Math.log(1 - uniform[2 * i]!));
    const t = 2 * Math.PI * uniform[2 * i + 1]!;
    return [c + r * Math.cos(t), c + r * Math.sin(t), positive ? 1 : 0];
  }, noise, normal);
}

/** Two interleaved spirals, one per label. */
export function spiral(n: number, { noise = 0, seed = 0 }: SyntheticOptions = {}): Synthetic {
  const { normal } = draws(n, seed);
  const half = Math.ceil(n / 2);
  return build(n, (i) => {
    const label = i < half ? 1 : 0;
    const k = label ? i : i - half;
    const r = (k / half) * 5;
    const t = 1.75 * (k / half) * 2 * Math.PI + (label ? 0 : Math.PI);
    return [r * Math.sin(t), r * Math.cos(t), label];
  }, noise, normal);
}
