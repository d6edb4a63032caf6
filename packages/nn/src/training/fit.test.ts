import { manualSeed, memory, tensor, type Tensor } from '@backprop/autograd';
import { describe, expect, it, vi } from 'vitest';
import { sgd, blobs } from './test-helpers';
import { binaryAccuracy, crossEntropy, DataLoader, evaluate, fit, Linear, predict, ReLU, Sequential, type Callback, type EpochLogs } from '../index';

describe('fit', () => {
  it('trains a classifier with validation, per-epoch metrics and callbacks, reproducibly', () => {
    const run = (): EpochLogs[] => {
      manualSeed(11);
      const model = new Sequential(new Linear(2, 16), new ReLU(), new Linear(16, 3));
      const seen: number[] = [];
      const history = fit(model, {
        train: blobs(120), validation: blobs(30), loss: (o, t) => crossEntropy(o, t), optimizer: sgd(model.parameters(), 0.1),
        epochs: 8, batchSize: 16, seed: 3, progress: false, callbacks: [{ onEpochEnd: (logs) => seen.push(logs.epoch) }],
      });
      expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      return history.epochs;
    };
    const a = run();
    expect(a[7]!.accuracy).toBe(1);
    expect(a[7]!.valAccuracy).toBe(1);
    expect(a[7]!.loss).toBeLessThan(a[0]!.loss);
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

  it('calls every hook in order, and a callback can stop training after a batch', () => {
    manualSeed(3);
    const model = new Sequential(new Linear(2, 3));
    const calls: string[] = [];
    const recorder: Callback = {
      onTrainBegin: (state) => calls.push(`train ${state.epochs} epochs of ${state.batchesPerEpoch}`),
      onEpochBegin: (epoch) => calls.push(`epoch ${epoch}`),
      onBeforeOptimizerStep: ({ batch }, { model: m }) => calls.push(`step ${batch} grads ${m.parameters().every((p) => p.grad !== null)}`),
      onBatchEnd: ({ epoch, batch, size }, state) => {
        calls.push(`batch ${batch} of ${size}`);
        if (epoch === 2 && batch === 1) state.stopTraining = true;
      },
      onEpochEnd: (logs) => calls.push(`end ${logs.epoch}`),
      onTrainEnd: (state) => calls.push(`done ${state.history.epochs.length} stoppedEarly ${state.history.stoppedEarly}`),
    };
    fit(model, { train: blobs(30), loss: (o, t) => crossEntropy(o, t), optimizer: sgd(model.parameters(), 0.01), epochs: 5, batchSize: 16, progress: false, callbacks: [recorder] });
    expect(calls).toEqual([
      'train 5 epochs of 2',
      'epoch 1', 'step 0 grads true', 'batch 0 of 16', 'step 1 grads true', 'batch 1 of 14', 'end 1',
      'epoch 2', 'step 0 grads true', 'batch 0 of 16', 'step 1 grads true', 'batch 1 of 14', 'end 2',
      'done 2 stoppedEarly true',
    ]);
  });

  it('names bad options and bad callbacks', () => {
    const model = new Sequential(new Linear(2, 3));
    const common = { train: blobs(6), loss: (o: Tensor, t: Tensor) => crossEntropy(o, t), optimizer: sgd(model.parameters(), 0.01), epochs: 1, progress: false };
    expect(() => fit(model, { ...common, earlyStopping: { patience: 3 } } as never)).toThrow("fit: unknown option 'earlyStopping'");
    expect(() => fit(model, { ...common, callbacks: [null as never] })).toThrow('fit: callbacks[0] must be a callback object (e.g. new EarlyStopping()), got null');
    expect(() => fit(model, { ...common, callbacks: { onEpochEnd() {} } as never })).toThrow('fit: callbacks must be an array');
    expect(() => fit(model, { ...common, clipGradNorm: 0 })).toThrow('fit: clipGradNorm must be > 0, got 0');
    expect(() => fit(model, { ...common, clipGradValue: '1' as never })).toThrow("fit: clipGradValue must be a number, got the string '1'");
    expect(() => fit(model, { ...common, optimizer: {} as never })).toThrow('fit: optimizer must have zeroGrad() and step()');
    // An optimiser that lists its parameters (as @backprop/optim's do) must update some of this model's.
    const other = new Linear(2, 3);
    const elsewhere = { ...sgd(other.parameters(), 0.01), paramGroups: [{ params: other.parameters() }] };
    expect(() => fit(model, { ...common, optimizer: elsewhere })).toThrow("fit: the optimizer updates none of the model's parameters (was it built for another model?");
    const lastLayerOnly = { ...sgd(model.parameters(), 0.01), paramGroups: [{ params: model.parameters().slice(1) }] };
    expect(fit(model, { ...common, optimizer: lastLayerOnly }).epochs).toHaveLength(1);
    expect(() => fit(model, { ...common, train: 5 as never })).toThrow('fit: data must be { x, y } tensors or an iterable of [x, y] batches');
    const loader = new DataLoader(blobs(6), { batchSize: 2 });
    expect(() => fit(model, { ...common, train: loader, shuffle: true })).toThrow('fit: shuffle and seed apply to { x, y } training data; pass them to the DataLoader');
    expect(fit(model, { ...common, train: loader }).epochs).toHaveLength(1);
    expect(() => fit(model, { ...common, train: { x: tensor([[1, 2]]), y: tensor([0, 1], { dtype: 'int32' }) } })).toThrow('x and y must have the same number of samples');
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
