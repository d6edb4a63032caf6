import { describe, expect, it } from 'vitest';
import type { activations } from '../choices';
import { activationCurve } from './curves';

describe('activation curves', () => {
  it('give each function and its derivative at x = -4, 0, 4', () => {
    const at = (name: keyof typeof activations) => {
      const c = activationCurve(name, 9); // x = -4, -3, ..., 4
      return [c.f[0], c.f[4], c.f[8], c.df[0], c.df[4], c.df[8]].map((v) => Number(v!.toFixed(4)));
    };
    const s = (v: number): number => 1 / (1 + Math.exp(-v));
    expect(at('sigmoid')).toEqual([s(-4), 0.5, s(4), s(-4) * (1 - s(-4)), 0.25, s(4) * (1 - s(4))].map((v) => Number(v.toFixed(4))));
    expect(at('tanh')).toEqual([-0.9993, 0, 0.9993, 0.0013, 1, 0.0013]);
    expect(at('relu')).toEqual([0, 0, 4, 0, 0, 1]);
    expect(at('leakyRelu')).toEqual([-0.04, 0, 4, 0.01, 0.01, 1]);
    expect(at('prelu')).toEqual([-1, 0, 4, 0.25, 0.25, 1]);
    expect(at('elu')).toEqual([-0.9817, 0, 4, 0.0183, 1, 1]);
    expect(at('softplus')).toEqual([0.0181, 0.6931, 4.0181, 0.018, 0.5, 0.982]);
  });
});
