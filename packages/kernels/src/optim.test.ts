import { describe, expect, it } from 'vitest';
import { kernels as k, updates, type AnyUpdate } from './index';
import { download, randomArray, seeded, upload } from './testing';

/** Each update under a few settings, as optim calls it at step `step` (the step enters some coefficients). */
const settings: { [K in keyof typeof updates]: ((step: number) => Parameters<(typeof updates)[K]['reference']>[1])[] } = {
  sgd: [
    () => ({ lr: 0.1, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, first: false }),
    (step) => ({ lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, first: step === 1 }),
    (step) => ({ lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: true, maximize: false, first: step === 1 }),
    (step) => ({ lr: 0.01, momentum: 0.9, dampening: 0.1, weightDecay: 0.01, nesterov: false, maximize: true, first: step === 1 }),
  ],
  adagrad: [(step) => ({ clr: 0.1 / (1 + (step - 1) * 0.01), eps: 1e-10, weightDecay: 0.01, maximize: false })],
  adadelta: [() => ({ lr: 0.5, rho: 0.8, eps: 1e-6, weightDecay: 0.01, maximize: true })],
  rmsprop: [
    () => ({ lr: 0.01, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false }),
    () => ({ lr: 0.01, alpha: 0.9, eps: 1e-8, weightDecay: 0.1, momentum: 0.5, centered: true, maximize: false }),
  ],
  adam: [0, 0.01].flatMap((weightDecay) => [false, true].map((amsgrad) => (step: number) => ({
    beta1: 0.9, beta2: 0.999, stepSize: 0.05 / (1 - 0.9 ** step), bc2Sqrt: Math.sqrt(1 - 0.999 ** step), eps: 1e-8,
    weightDecay, decay: amsgrad ? 1 - 0.05 * 0.1 : 1, amsgrad, maximize: false,
  }))),
  adamax: [(step) => ({ beta1: 0.9, beta2: 0.999, eps: 1e-8, clr: 0.05 / (1 - 0.9 ** step), weightDecay: 0.01, maximize: false })],
  nadam: [(step) => ({ beta1: 0.9, beta2: 0.999, bc2: 1 - 0.999 ** step, eps: 1e-8, weightDecay: 0, gradCoef: -0.01 * step, avgCoef: -0.02 })],
};

/**
 * Five steps through the kernel and through the reference on the same data, every buffer compared bit for bit:
 * neither build fuses multiply-adds here, so both round identically.
 */
function compare(u: AnyUpdate, n: number, coefficients: (step: number) => object): void {
  const random = seeded(n * 31 + u.buffers.length);
  const state = u.buffers.filter((b) => b !== 'grad');
  const arrays = Object.fromEntries(state.map((b, i) => [b, i === 0 ? randomArray(n, random, -2, 2) : randomArray(n, random, 0, 0.1)])) as Record<string, Float32Array>;
  const ptrs = Object.fromEntries(state.map((b, i) => [b, upload(k, arrays[b]!, i % 4)])) as Record<string, number>;
  for (let step = 1; step <= 5; step++) {
    const grad = randomArray(n, random, -1, 1);
    const c = coefficients(step);
    const pg = upload(k, grad, 1);
    k.update(u, n, { ...ptrs, grad: pg }, c);
    u.reference({ ...arrays, grad }, c);
    k.heap.free(pg - 4);
    for (const b of state) expect(Array.from(download(k, ptrs[b]!, n)), `${u.kernel}: ${b} after step ${step}`).toEqual(Array.from(arrays[b]!));
  }
  state.forEach((b, i) => k.heap.free(ptrs[b]! - (i % 4) * 4));
}

describe('fused optimiser updates match the float32 reference bit for bit', () => {
  for (const [name, u] of Object.entries(updates) as [keyof typeof updates, AnyUpdate][]) {
    it(`${name}: the table's buffers and coefficients are the kernel's arguments, and kernel = reference at n = 1, 3, 17, 257`, () => {
      const kernel = k.wasm[u.kernel];
      expect(kernel.length, 'n, the buffers, then the coefficients').toBe(1 + u.buffers.length + u.coefficients.length);
      expect(u.buffers.slice(0, 2)).toEqual(['param', 'grad']);
      for (const n of [1, 3, 17, 257]) for (const coefficients of settings[name]) compare(u, n, coefficients);
    });
  }
});
