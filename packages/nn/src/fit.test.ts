import { manualSeed, memory, tensor, type Tensor } from '@backprop/autograd';
import { describe, expect, it, vi } from 'vitest';
import { binaryAccuracy, binaryCrossEntropyWithLogits, crossEntropy, evaluate, fit, Linear, predict, ReLU, Sequential, Tanh, type EpochLogs } from './index';

/** A tiny optimiser for these tests (nn may not import optim): p -= lr grad. */
function sgd(params: Tensor[], lr: number): { zeroGrad(): void; step(): void; lr: number } {
  return {
    lr,
    zeroGrad: () => params.forEach((p) => p.zeroGrad()),
    step: () => params.forEach((p) => p.grad && p.detach().sub_(p.grad, lr)),
  };
}

function blobs(n: number): { x: Tensor; y: Tensor } {
  // Three separable classes around (0, 4), (4, 0), (-4, -4).
  const centres = [[0, 4], [4, 0], [-4, -4]] as const;
  const xs: number[][] = [];
  const ys: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    xs.push([centres[c]![0] + Math.sin(i * 1.7), centres[c]![1] + Math.cos(i * 2.3)]);
    ys.push(c);
  }
  return { x: tensor(xs), y: tensor(ys, { dtype: 'int32' }) };
}

describe('fit', () => {
  it('trains a classifier with validation, per-epoch metrics and callbacks, reproducibly', () => {
    const run = (): EpochLogs[] => {
      manualSeed(11);
      const model = new Sequential(new Linear(2, 16), new ReLU(), new Linear(16, 3));
      const seen: number[] = [];
      const history = fit(model, {
        train: blobs(120), validation: blobs(30), loss: (o, t) => crossEntropy(o, t), optimizer: sgd(model.parameters(), 0.1),
        epochs: 8, batchSize: 16, seed: 3, progress: false, callbacks: { onEpochEnd: (logs) => seen.push(logs.epoch) },
      });
      expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      return history.epochs;
    };
    const a = run();
    expect(a[7]!.accuracy).toBe(1);
    expect(a[7]!.valAccuracy).toBe(1);
    expect(a[7]!.loss).toBeLessThan(a[0]!.loss);
    expect(a[0]!.lr).toBe(0.1);
    expect(run().map((e) => e.loss)).toEqual(a.map((e) => e.loss)); // same seed, same run
  });

  it('draws a progress bar that counts batches, with or without callbacks', () => {
    manualSeed(6);
    const model = new Sequential(new Linear(2, 3));
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => written.push(String(chunk)) > 0);
    try {
      fit(model, { train: blobs(30), loss: (o, t) => crossEntropy(o, t), optimizer: sgd(model.parameters(), 0.01), epochs: 2, batchSize: 10, progress: true });
    } finally {
      spy.mockRestore();
    }
    const lines = written.join('').split(/[\r\n]/).filter(Boolean);
    expect(lines[0]).toMatch(/^epoch 1\/2 \[========\s+\] 1\/3 loss \d\.\d{4}$/);
    expect(lines.at(-1)).toMatch(/^epoch 2\/2 \[========================\] 3\/3 loss \d\.\d{4}$/);
  });

  it('steps an epoch scheduler without arguments and a metric-driven one with the loss', () => {
    manualSeed(4);
    const model = new Sequential(new Linear(2, 3));
    const calls: unknown[][] = [];
    const common = { train: blobs(30), loss: (o: Tensor, t: Tensor) => crossEntropy(o, t), optimizer: sgd(model.parameters(), 0.01), epochs: 2, progress: false };
    fit(model, { ...common, scheduler: { step: (...args: unknown[]) => calls.push(args) } });
    expect(calls).toEqual([[], []]);
    calls.length = 0;
    const history = fit(model, { ...common, scheduler: { metricDriven: true, step: (metric: number) => calls.push([metric]) } });
    expect(calls).toEqual(history.epochs.map((e) => [e.loss]));
  });

  it('stops early when the monitored metric stalls, restoring the best weights', () => {
    manualSeed(2);
    const model = new Sequential(new Linear(2, 4), new Tanh(), new Linear(4, 1));
    const x = tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
    const y = tensor([[0], [1], [1], [0]]);
    let afterFirst: number[] = [];
    // Gradient ascent: the loss rises every epoch, so epoch 1 stays the best.
    const history = fit(model, {
      train: { x, y }, loss: (o, t) => binaryCrossEntropyWithLogits(o, t), optimizer: sgd(model.parameters(), -0.5),
      epochs: 50, progress: false, shuffle: false, earlyStopping: { patience: 3 },
      callbacks: { onEpochEnd: (logs) => { if (logs.epoch === 1) afterFirst = model.parameters().flatMap((p) => Array.from(p.values())); } },
    });
    expect(history.stoppedEarly).toBe(true);
    expect(history.epochs).toHaveLength(5);
    expect(history.epochs[4]!.loss).toBeGreaterThan(history.epochs[0]!.loss);
    expect(model.parameters().flatMap((p) => Array.from(p.values()))).toEqual(afterFirst);
  });

  it('keeps memory flat across epochs, and evaluate/predict leave nothing behind', () => {
    manualSeed(5);
    const model = new Sequential(new Linear(2, 8), new ReLU(), new Linear(8, 3));
    const data = blobs(96);
    const opts = { train: data, loss: (o: Tensor, t: Tensor) => crossEntropy(o, t), optimizer: sgd(model.parameters(), 0.05), batchSize: 8, progress: false };
    fit(model, { ...opts, epochs: 60 }); // warm-up: kernel memory fills to its budget
    const before = memory();
    fit(model, { ...opts, epochs: 60 });
    expect(memory().wasmBytes).toBeLessThanOrEqual(before.wasmBytes * 1.1);
    expect(memory().liveTensors).toBeLessThanOrEqual(before.liveTensors * 1.1);
    const result = evaluate(model, data, { loss: (o, t) => crossEntropy(o, t) });
    expect(result.accuracy).toBeGreaterThan(0.9);
    const out = predict(model, data.x, { batchSize: 40 });
    expect([...out.shape]).toEqual([96, 3]);
    expect(binaryAccuracy(tensor([[2], [-1]]), tensor([[1], [0]]))).toBe(1);
    // The same predictions give exactly the same accuracy, k / n, however they are batched.
    const inBatchesOf7 = evaluate(model, data, { loss: (o, t) => crossEntropy(o, t), batchSize: 7 }).accuracy!;
    expect(inBatchesOf7).toBe(result.accuracy);
    expect(Number.isInteger(Math.round(inBatchesOf7 * 96 * 1e6) / 1e6)).toBe(true);
    expect(binaryAccuracy(tensor([[2], [-1], [3]]), tensor([[1], [1], [1]]))).toBe(2 / 3);
    expect(() => fit(model, { ...opts, epochs: 0 })).toThrow('fit: epochs must be a positive integer, got 0');
  });
});
