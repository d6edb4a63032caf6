// The memory model through nn, as users write it (no dispose(), no scope()): inference loops with
// Module.forward and predict(), and a test set made before training and evaluated after 50 epochs.
import { manualSeed, memory, noGrad, rand, tensor, type MemoryReport, type Tensor } from '@backprop/autograd';
import { describe, expect, it } from 'vitest';
import { crossEntropy, evaluate, fit, Linear, Module, predict, ReLU, Sequential, Standardize, Tanh } from './index';
import type { FitOptions } from './index';

function expectFlat(warm: MemoryReport, end: MemoryReport): void {
  expect(end.wasmBytes, 'WASM memory').toBeLessThanOrEqual(warm.wasmBytes * 1.1);
  expect(end.liveTensors, 'live tensors').toBeLessThanOrEqual(warm.liveTensors * 1.1);
  expect(end.liveTensors, 'live tensors').toBeGreaterThanOrEqual(warm.liveTensors * 0.9);
}

/** Runs `iteration` n times; memory() after a fifth of them and at the end. */
function flatOver(n: number, iteration: (i: number) => void): void {
  let warm: MemoryReport | undefined;
  for (let i = 0; i < n; i++) {
    iteration(i);
    if (i === n / 5 - 1) warm = memory();
  }
  expectFlat(warm!, memory());
}

function mlp(): Sequential {
  manualSeed(3);
  return new Sequential(new Standardize(8), new Linear(8, 32), new ReLU(), new Linear(32, 32), new Tanh(), new Linear(32, 4));
}

const row = [0.5, -1, 2, 0.25, 3, -0.5, 1, 0];

describe('memory stays flat through nn, with no dispose() or scope()', () => {
  for (const [label, run] of [
    ['Module.forward under noGrad', (m: Sequential) => noGrad(() => m.forward(tensor([row])))],
    ['Module.forward recording gradients', (m: Sequential) => m.forward(tensor([row]))],
    ['predict()', (m: Sequential) => predict(m, tensor([row]))],
  ] as const) {
    it(`an inference loop of 100,000 iterations with ${label}`, () => {
      const model = mlp();
      const want = Array.from(noGrad(() => model.forward(tensor([row]))).values());
      flatOver(100_000, () => {
        const got = run(model).values();
        if (got[3] !== want[3]) throw new Error(`got ${Array.from(got).join(',')}, want ${want.join(',')}`);
      });
    });
  }

  it("Sequential frees its intermediate results once backward is done, except what a custom layer keeps", () => {
    /** A user's layer that keeps its output (to draw it later, as the docs' playground does). */
    class Recorder extends Tanh {
      last: Tensor | null = null;
      override forward(x: Tensor): Tensor {
        this.last = super.forward(x);
        return this.last;
      }
    }
    const recorder = new Recorder();
    const model = new Sequential(new Linear(8, 16), new ReLU(), new Linear(16, 16), recorder, new Linear(16, 4));
    expect(model.holdsNoTensors()).toBe(false);
    expect(new Sequential(new Linear(8, 16), new ReLU()).holdsNoTensors()).toBe(true);
    const x = tensor([row, row]);
    const step = (): void => model.forward(x).sum().backward();
    for (let i = 0; i < 3000; i++) step(); // kernel memory fills to its budget
    const { evictions } = memory();
    for (let i = 0; i < 3000; i++) step();
    // Only the output, the loss and the recorder's input and output outlive a step (and are spilled once
    // memory is full); the other intermediates are freed when backward is done, their memory reused at once.
    expect((memory().evictions - evictions) / 3000).toBeLessThanOrEqual(4.01);
    expect(recorder.last!.toArray()).toEqual(noGrad(() => model.layers[3]!.forward(model.layers.slice(0, 3).reduce((h, m) => m.forward(h), x))).toArray());
  });

  it('predict over many batches frees each batch\'s temporaries before the next batch runs', () => {
    /** A user's layer with a temporary of its own (Sequential frees what passes between layers, not this). */
    class DoubledTanh extends Module {
      readonly temporaries: Tensor[] = [];
      /** For each batch: whether every earlier batch's temporary was already freed when it started. */
      readonly earlierFreed: boolean[] = [];
      forward(x: Tensor): Tensor {
        this.earlierFreed.push(this.temporaries.every((t) => t.isReleased));
        const doubled = x.mul(2);
        this.temporaries.push(doubled);
        return doubled.tanh();
      }
    }
    manualSeed(4);
    const layer = new DoubledTanh();
    const model = new Sequential(new Linear(4, 8), layer, new Linear(8, 2));
    const x = rand([10, 4]);
    const out = predict(model, x, { batchSize: 3 });
    expect(layer.earlierFreed).toEqual([true, true, true, true]);
    // The batches' outputs, in order, bit for bit.
    expect(out.toArray()).toEqual(noGrad(() => [0, 3, 6, 9].flatMap((start) => model.forward(x.slice(start, start + 3)).toArray())));
  });

  it('a test set made (through ops) before training is still right after 50 epochs of fit', () => {
    manualSeed(9);
    const x = rand([256, 8], { low: -1, high: 1 });
    const labels = tensor(Int32Array.from(x.values().filter((_, i) => i % 8 === 0), (v) => (v > 0 ? 1 : 0)));
    const testX = x.mul(2).add(0.5); // an op output, made now, read after training
    const copy = Array.from(testX.values());
    const model = new Sequential(new Linear(8, 16), new Tanh(), new Linear(16, 2));
    const sgd: FitOptions['optimizer'] = {
      zeroGrad: () => model.zeroGrad(),
      step: () => noGrad(() => { for (const p of model.parameters()) p.sub_(p.grad!, 0.1); }),
    };
    const { evictions } = memory();
    fit(model, { train: { x, y: labels }, loss: (o: Tensor, t: Tensor) => crossEntropy(o, t), optimizer: sgd, epochs: 50, batchSize: 16, progress: false });
    expect(memory().evictions, 'training moved data out of kernel memory').toBeGreaterThan(evictions);
    expect(Array.from(testX.values())).toEqual(copy);
    const { accuracy } = evaluate(model, { x: testX.sub(0.5).div(2), y: labels }, { loss: (o, t) => crossEntropy(o, t) });
    expect(accuracy).toBeGreaterThan(0.95);
  });
});
