import { describe, expect, it } from 'vitest';
import { kernels as k } from './index';
import * as reference from './reference/index';
import { download, randomArray, seeded, upload } from './testing';

/**
 * Runs `steps` updates through a kernel and through the reference on the same data and checks every buffer
 * bit for bit: neither build fuses multiply-adds here, so both round identically.
 */
function compare(n: number, buffers: number, kernel: (ptrs: number[], step: number) => void, ref: (arrays: Float32Array[], step: number) => void): void {
  const random = seeded(n * 31 + buffers);
  const arrays = [randomArray(n, random, -2, 2), ...Array.from({ length: buffers }, () => randomArray(n, random, 0, 0.1))];
  const ptrs = arrays.map((a, i) => upload(k, a, i % 4));
  for (let step = 1; step <= 5; step++) {
    const grad = randomArray(n, random, -1, 1);
    const pg = upload(k, grad, 1);
    kernel([ptrs[0]!, pg, ...ptrs.slice(1)], step);
    ref([arrays[0]!, grad, ...arrays.slice(1)], step);
    k.heap.free(pg - 4);
    arrays.forEach((a, i) => expect(Array.from(download(k, ptrs[i]!, n)), `buffer ${i} after step ${step}`).toEqual(Array.from(a)));
  }
  ptrs.forEach((p, i) => k.heap.free(p - (i % 4) * 4));
}

const sizes = [1, 3, 17, 257];

describe('fused optimiser updates match the float32 reference bit for bit', () => {
  for (const n of sizes) {
    it(`SGD (plain, momentum, Nesterov, dampening + weight decay, maximize), n = ${n}`, () => {
      const configs: reference.SgdOptions[] = [
        { lr: 0.1, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, first: false },
        { lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, first: false },
        { lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: true, maximize: false, first: false },
        { lr: 0.01, momentum: 0.9, dampening: 0.1, weightDecay: 0.01, nesterov: false, maximize: true, first: false },
      ];
      for (const o of configs) {
        compare(n, 1,
          ([p, g, buf], step) => k.wasm.sgd(n, p!, g!, buf!, o.lr, o.momentum, o.dampening, o.weightDecay, +o.nesterov, +o.maximize, +(step === 1)),
          ([p, g, buf], step) => reference.sgd(p!, g!, buf!, { ...o, first: step === 1 }));
      }
    });

    it(`Adagrad, Adadelta, RMSprop (plain, centered + momentum), n = ${n}`, () => {
      compare(n, 1, ([p, g, s], step) => k.wasm.adagrad(n, p!, g!, s!, 0.1 / (1 + (step - 1) * 0.01), 1e-10, 0.01, 0),
        ([p, g, s], step) => reference.adagrad(p!, g!, s!, 0.1 / (1 + (step - 1) * 0.01), 1e-10, 0.01, false));
      compare(n, 2, ([p, g, sq, acc]) => k.wasm.adadelta(n, p!, g!, sq!, acc!, 0.5, 0.8, 1e-6, 0.01, 1),
        ([p, g, sq, acc]) => reference.adadelta(p!, g!, sq!, acc!, 0.5, 0.8, 1e-6, 0.01, true));
      for (const o of [
        { lr: 0.01, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false },
        { lr: 0.01, alpha: 0.9, eps: 1e-8, weightDecay: 0.1, momentum: 0.5, centered: true, maximize: false },
      ]) {
        compare(n, 3, ([p, g, sq, ga, buf]) => k.wasm.rmsprop(n, p!, g!, sq!, ga!, buf!, o.lr, o.alpha, o.eps, o.weightDecay, o.momentum, +o.centered, +o.maximize),
          ([p, g, sq, ga, buf]) => reference.rmsprop(p!, g!, sq!, ga!, buf!, o));
      }
    });

    it(`Adam (plain, amsgrad + weight decay), AdamW, Adamax, NAdam, n = ${n}`, () => {
      const [b1, b2, lr] = [0.9, 0.999, 0.05];
      const adam = (wd: number, decay: number, amsgrad: boolean) => (step: number): reference.AdamCoefficients => ({
        beta1: b1, beta2: b2, stepSize: lr / (1 - b1 ** step), bc2Sqrt: Math.sqrt(1 - b2 ** step), eps: 1e-8,
        weightDecay: wd, decay, amsgrad, maximize: false,
      });
      for (const coefficients of [adam(0, 1, false), adam(0.01, 1, true), adam(0, 1 - lr * 0.1, false)]) {
        compare(n, 3, ([p, g, m, v, vmax], step) => {
          const c = coefficients(step);
          k.wasm.adam(n, p!, g!, m!, v!, vmax!, c.beta1, c.beta2, c.stepSize, c.bc2Sqrt, c.eps, c.weightDecay, c.decay, +c.amsgrad, 0);
        }, ([p, g, m, v, vmax], step) => reference.adam(p!, g!, m!, v!, vmax!, coefficients(step)));
      }
      compare(n, 2, ([p, g, m, u], step) => k.wasm.adamax(n, p!, g!, m!, u!, b1, b2, 1e-8, lr / (1 - b1 ** step), 0.01, 0),
        ([p, g, m, u], step) => reference.adamax(p!, g!, m!, u!, b1, b2, 1e-8, lr / (1 - b1 ** step), 0.01, false));
      compare(n, 2, ([p, g, m, v], step) => k.wasm.nadam(n, p!, g!, m!, v!, b1, b2, 1 - b2 ** step, 1e-8, 0, -0.01 * step, -0.02),
        ([p, g, m, v], step) => reference.nadam(p!, g!, m!, v!, b1, b2, 1 - b2 ** step, 1e-8, 0, -0.01 * step, -0.02));
    });
  }
});
