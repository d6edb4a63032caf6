import { manualSeed, zeros, type Tensor } from '@backprop/autograd';
import { describe, expect, it } from 'vitest';
import { init } from './index';

function stats(t: Tensor): { mean: number; variance: number; min: number; max: number } {
  const v = Array.from(t.values());
  const mean = v.reduce((s, x) => s + x, 0) / v.length;
  const variance = v.reduce((s, x) => s + (x - mean) ** 2, 0) / v.length;
  return { mean, variance, min: v.reduce((a, b) => Math.min(a, b), Infinity), max: v.reduce((a, b) => Math.max(a, b), -Infinity) };
}

/** Mean and variance within 5 standard errors: se(mean) = sd / sqrt(n); se(var) = var sqrt(kurtosis-term / n). */
function expectMoments(t: Tensor, variance: number, uniform: boolean): void {
  const n = t.size;
  const s = stats(t);
  expect(Math.abs(s.mean)).toBeLessThan(5 * Math.sqrt(variance / n));
  // Var of the sample variance: (mu4 - sigma^4) / n; mu4 = 1.8 sigma^4 (uniform), 3 sigma^4 (normal).
  expect(Math.abs(s.variance - variance)).toBeLessThan(5 * variance * Math.sqrt((uniform ? 0.8 : 2) / n));
}

describe('initialisers draw from the formulas of the lecture', () => {
  const shape = [256, 512]; // fanOut 256, fanIn 512
  const [fanIn, fanOut] = [512, 256];

  it('zeros_, ones_, constant_, and the fans of a [out, in, k] weight', () => {
    expect(stats(init.zeros_(zeros(shape).add(3))).max).toBe(0);
    expect(stats(init.ones_(zeros([3]))).min).toBe(1);
    expect(stats(init.constant_(zeros([3]), 0.5)).max).toBe(0.5);
    expect(init.fans(zeros([8, 4, 3]))).toEqual({ fanIn: 12, fanOut: 24 });
    expect(() => init.fans(zeros([5]))).toThrow(/at least 2 dimensions/);
  });

  it('uniform_ and normal_ (small random weights)', () => {
    manualSeed(1);
    const u = init.uniform_(zeros(shape), { a: -0.5, b: 0.5 });
    expectMoments(u, 1 / 12, true);
    expect(stats(u).min).toBeGreaterThanOrEqual(-0.5);
    expectMoments(init.normal_(zeros(shape), { std: 0.01 }), 1e-4, false);
  });

  it('LeCun: U[-1/sqrt(fanIn), 1/sqrt(fanIn)] and N(0, 1/fanIn)', () => {
    manualSeed(2);
    const u = init.lecunUniform_(zeros(shape));
    expectMoments(u, 1 / (3 * fanIn), true);
    expect(stats(u).max).toBeLessThanOrEqual(1 / Math.sqrt(fanIn));
    expectMoments(init.lecunNormal_(zeros(shape)), 1 / fanIn, false);
  });

  it('Xavier/Glorot: Var = gain^2 2/(fanIn + fanOut)', () => {
    manualSeed(3);
    expectMoments(init.xavierUniform_(zeros(shape)), 2 / (fanIn + fanOut), true);
    expectMoments(init.xavierNormal_(zeros(shape), { gain: init.calculateGain('tanh') }), (25 / 9) * 2 / (fanIn + fanOut), false);
  });

  it('He/Kaiming: Var = 2/fanIn for ReLU, fanOut mode, leaky slope', () => {
    manualSeed(4);
    expectMoments(init.kaimingNormal_(zeros(shape), { nonlinearity: 'relu' }), 2 / fanIn, false);
    expectMoments(init.kaimingUniform_(zeros(shape), { nonlinearity: 'relu', mode: 'fanOut' }), 2 / fanOut, true);
    expectMoments(init.kaimingUniform_(zeros(shape), { a: 0.2, nonlinearity: 'leakyRelu' }), 2 / (1 + 0.04) / fanIn, true);
    expect(() => init.kaimingNormal_(zeros(shape), { mode: 'fan_avg' as 'fanIn' })).toThrow("kaimingNormal_: unknown mode 'fan_avg'");
  });

  it('calculateGain as PyTorch', () => {
    expect(init.calculateGain('linear')).toBe(1);
    expect(init.calculateGain('sigmoid')).toBe(1);
    expect(init.calculateGain('tanh')).toBeCloseTo(5 / 3, 12);
    expect(init.calculateGain('relu')).toBeCloseTo(Math.SQRT2, 12);
    expect(init.calculateGain('leakyRelu', 0.2)).toBeCloseTo(Math.sqrt(2 / 1.04), 12);
    expect(init.calculateGain('selu')).toBe(0.75);
    expect(() => init.calculateGain('swish' as 'relu')).toThrow("calculateGain: unknown nonlinearity 'swish'");
  });

  it('orthogonal_: Q^T Q = I (tall and wide), scaled by gain', () => {
    manualSeed(5);
    for (const [rows, cols] of [[6, 4], [3, 7]] as const) {
      const w = Array.from(init.orthogonal_(zeros([rows, cols]), { gain: 2 }).values());
      const [m, n] = rows >= cols ? [rows, cols] : [cols, rows];
      const at = (i: number, j: number): number => (rows >= cols ? w[i * cols + j]! : w[j * cols + i]!);
      for (let a = 0; a < n; a++) {
        for (let b = 0; b < n; b++) {
          let dot = 0;
          for (let i = 0; i < m; i++) dot += at(i, a) * at(i, b);
          expect(dot).toBeCloseTo(a === b ? 4 : 0, 4);
        }
      }
    }
  });
});
