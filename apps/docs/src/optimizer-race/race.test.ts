import { tensor } from '@backprop/autograd';
import { describe, expect, it } from 'vitest';
import { optimizers } from '../choices';
import { contourGrid, race } from './race';
import { surfaces } from './surfaces';

describe('optimiser race surfaces', () => {
  it('have their known minima and values, and a default rate for every optimiser', () => {
    for (const s of Object.values(surfaces)) expect(Object.keys(s.lr).sort()).toEqual(Object.keys(optimizers).sort());
    const at = (name: keyof typeof surfaces, x: number, y: number): number => surfaces[name].f(tensor([x]), tensor([y])).item();
    expect(at('rosenbrock', 1, 1)).toBe(0);
    expect(at('rosenbrock', 0, 0)).toBe(1);
    expect(at('beale', 3, 0.5)).toBe(0);
    expect(at('beale', 0, 0)).toBeCloseTo(1.5 ** 2 + 2.25 ** 2 + 2.625 ** 2, 4);
    expect(at('saddle', 1, 2)).toBe(-3);
  });

  it('grids the same function: corners of Rosenbrock', () => {
    const grid = contourGrid('rosenbrock', 3);
    expect(grid[0]).toBe(9 + 100 * (3 - 4) ** 2); // x = -2, y = 3
    expect(grid[4]).toBe(1 + 100 * 1); // x = 0, y = 1
    expect(grid[8]).toBe(1 + 100 * 25); // x = 2, y = -1
  });
});

describe('the race', () => {
  it('runs every optimiser from the same start at its default rate, and each lowers the Rosenbrock loss', () => {
    const runners = Object.keys(optimizers).map((optimizer) => ({ optimizer, lr: surfaces.rosenbrock.lr[optimizer]! }));
    expect(runners).toHaveLength(10);
    const paths = race('rosenbrock', runners, 200);
    const start = 2.5 ** 2 + 100 * (2.5 - 2.25) ** 2;
    for (const p of paths) {
      expect(p.points.slice(0, 2), p.optimizer).toEqual(Float32Array.of(-1.5, 2.5));
      expect(p.diverged, p.optimizer).toBe(false);
      expect(p.finalLoss, p.optimizer).toBeLessThan(start);
      expect(p.points).toHaveLength(2 * 201);
    }
  });

  it('shows momentum past plain SGD and Adam leaving the saddle faster than SGD', () => {
    const [sgd, momentum] = race('rosenbrock', [{ optimizer: 'sgd', lr: 1e-4 }, { optimizer: 'momentum', lr: 1e-4 }], 300);
    expect(momentum!.finalLoss).toBeLessThan(sgd!.finalLoss);
    const [plain, adam] = race('saddle', [{ optimizer: 'sgd', lr: 0.01 }, { optimizer: 'adam', lr: 0.01 }], 100);
    expect(Math.abs(adam!.points.at(-1)!)).toBeGreaterThan(10 * Math.abs(plain!.points.at(-1)!));
  });

  it('stops a diverging run and names bad settings', () => {
    const [p] = race('rosenbrock', [{ optimizer: 'sgd', lr: 0.1 }], 100);
    expect(p!.diverged).toBe(true);
    expect(p!.points.length).toBeLessThan(202);
    expect(() => race('rosenbrock', [{ optimizer: 'sgd', lr: -1 }], 10)).toThrow('sgd: the learning rate must be a positive number, got -1');
    expect(() => race('moon' as never, [], 10)).toThrow("unknown surface 'moon'");
    expect(() => race('beale', [], 0)).toThrow('steps must be an integer in [1, 10000], got 0');
  });
});
