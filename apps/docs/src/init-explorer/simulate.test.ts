import { describe, expect, it } from 'vitest';
import { type InitConfig, simulate } from './simulate';

const run = (initialiser: string, activation: InitConfig['activation']) =>
  simulate({ initialiser, activation, layers: 10, width: 200, samples: 200, seed: 3 });

describe("the initialisation explorer's experiment (the lecture's figures)", () => {
  it('small random weights with tanh: activations collapse towards zero layer by layer', () => {
    const { layers } = run('small', 'tanh');
    expect(layers[0]!.std).toBeLessThan(0.2);
    expect(layers[9]!.std).toBeLessThan(1e-6);
    for (let l = 1; l < 10; l++) expect(layers[l]!.std).toBeLessThan(layers[l - 1]!.std);
  });

  it('large random weights with tanh: saturated, nearly everything at -1 or +1', () => {
    const { layers, range } = run('large', 'tanh');
    expect(range).toEqual([-1, 1]);
    const ends = layers[9]!.histogram[0]! + layers[9]!.histogram[39]!;
    expect(ends).toBeGreaterThan(0.8);
  });

  it('Xavier with tanh keeps a healthy spread through all ten layers', () => {
    const { layers } = run('xavier', 'tanh');
    expect(layers[9]!.std).toBeGreaterThan(0.2);
    expect(layers[9]!.std).toBeLessThan(0.8);
  });

  it('He with ReLU keeps the scale; Xavier with ReLU halves the variance each layer', () => {
    const he = run('he', 'relu').layers;
    const xavier = run('xavier', 'relu').layers;
    expect(he[9]!.std / he[0]!.std).toBeGreaterThan(0.5);
    expect(he[9]!.std / he[0]!.std).toBeLessThan(2);
    expect(xavier[9]!.std / xavier[0]!.std).toBeLessThan(0.1);
  });

  it('zeros: every activation is exactly zero; histograms are shares that sum to 1', () => {
    const { layers } = run('zeros', 'tanh');
    expect(layers.every((l) => l.mean === 0 && l.std === 0)).toBe(true);
    expect(layers[3]!.histogram.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    expect(layers[3]!.histogram[20]).toBe(1);
  });

  it('names a bad choice', () => {
    expect(() => run('magic', 'tanh')).toThrow("unknown initialiser 'magic'");
    expect(() => run('xavier', 'swish' as never)).toThrow("unknown activation 'swish'");
  });
});
