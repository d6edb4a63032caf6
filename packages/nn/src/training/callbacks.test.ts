import { manualSeed, tensor, type Tensor } from '@backprop/autograd';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BatchNorm1d, binaryCrossEntropyWithLogits, crossEntropy, EarlyStopping, fit, LearningRateMonitor, Linear, loadSafetensors,
  ModelCheckpoint, NonFiniteLossError, Sequential, Tanh, type Callback, type EpochLogs, type Module,
} from '../index';
import { blobs, sgd } from './test-helpers';

const values = (model: Module): number[][] => [...model.stateDict().values()].map((t) => Array.from(t.values()));
/** A state dict's entries by key (safetensors files order them their own way). */
const byKey = (dict: Map<string, Tensor>): Record<string, number[]> => Object.fromEntries([...dict].map(([k, t]) => [k, Array.from(t.values())]));

/** XOR with a BatchNorm (so buffers count too), trained by gradient ascent: the loss rises every epoch, epoch 1 is the best. */
function ascending(epochs: number, callbacks: Callback[], atEpochEnd: (logs: EpochLogs, model: Module) => void = () => {}) {
  manualSeed(2);
  const model = new Sequential(new Linear(2, 4), new BatchNorm1d(4), new Tanh(), new Linear(4, 1));
  const history = fit(model, {
    train: { x: tensor([[0, 0], [0, 1], [1, 0], [1, 1]]), y: tensor([[0], [1], [1], [0]]) }, loss: (o, t) => binaryCrossEntropyWithLogits(o, t),
    optimizer: sgd(model.parameters(), -0.5), epochs, progress: false, shuffle: false,
    callbacks: [...callbacks, { onEpochEnd: (logs) => atEpochEnd(logs, model) }],
  });
  return { model, history };
}

describe('EarlyStopping', () => {
  it('stops after exactly `patience` epochs without improvement and restores the best weights and buffers', () => {
    const stopper = new EarlyStopping({ monitor: 'loss', patience: 3, restoreBestWeights: true });
    let afterFirst: number[][] = [];
    const { model, history } = ascending(50, [stopper], (logs, m) => { if (logs.epoch === 1) afterFirst = values(m); });
    expect(history.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4]); // epochs 2, 3, 4 did not improve on 1
    expect(history.stoppedEarly).toBe(true);
    expect([stopper.bestEpoch, stopper.stoppedEpoch, stopper.best]).toEqual([1, 4, history.epochs[0]!.loss]);
    expect(history.epochs[3]!.loss).toBeGreaterThan(history.epochs[0]!.loss);
    expect(values(model)).toEqual(afterFirst); // the running mean and variance too
  });

  it('restores the best weights when training runs to its last epoch too; without restoreBestWeights, keeps the last', () => {
    let afterFirst: number[][] = [];
    const restored = ascending(3, [new EarlyStopping({ monitor: 'loss', patience: 10, restoreBestWeights: true })], (logs, m) => { if (logs.epoch === 1) afterFirst = values(m); });
    expect(restored.history.stoppedEarly).toBe(false);
    expect(values(restored.model)).toEqual(afterFirst);
    let last: number[][] = [];
    const kept = ascending(3, [new EarlyStopping({ monitor: 'loss', patience: 10 })], (_logs, m) => { last = values(m); });
    expect(values(kept.model)).toEqual(last);
    expect(last).not.toEqual(afterFirst);
  });

  it('patience 0 stops at the first epoch that does not improve; minDelta counts small gains as none', () => {
    expect(ascending(50, [new EarlyStopping({ monitor: 'loss' })]).history.epochs).toHaveLength(2);
    // Gradient descent improves every epoch, but by less than a minDelta of 10.
    manualSeed(1);
    const model = new Sequential(new Linear(2, 3));
    const history = fit(model, {
      train: blobs(30), loss: (o, t) => crossEntropy(o, t), optimizer: sgd(model.parameters(), 0.01), epochs: 20, progress: false,
      callbacks: [new EarlyStopping({ monitor: 'loss', patience: 2, minDelta: 10 })],
    });
    expect(history.epochs.map((e) => e.loss < history.epochs[0]!.loss)).toEqual([false, true, true]);
  });

  it('watches accuracy as higher-is-better, and says when the run does not log what it monitors', () => {
    const seen: number[] = [];
    manualSeed(1);
    const model = new Sequential(new Linear(2, 3));
    const stopper = new EarlyStopping({ monitor: 'valAccuracy', patience: 2 });
    fit(model, {
      train: blobs(30), validation: blobs(12), loss: (o, t) => crossEntropy(o, t), optimizer: sgd(model.parameters(), 0.1), epochs: 30, progress: false,
      callbacks: [stopper, { onEpochEnd: (logs) => seen.push(logs.valAccuracy!) }],
    });
    expect(stopper.best).toBe(Math.max(...seen));
    expect(seen.indexOf(stopper.best) + 1).toBe(stopper.bestEpoch);
    expect(() => ascending(2, [new EarlyStopping()])).toThrow(
      "EarlyStopping: monitors 'valLoss', which this run does not log (it logs 'loss') (pass validation data to fit, or monitor a training quantity)",
    );
    expect(() => new EarlyStopping({ patience: 1.5 })).toThrow('EarlyStopping: patience must be a whole number of epochs >= 0, got 1.5');
    expect(() => new EarlyStopping({ monitor: 'val_loss' as never })).toThrow("EarlyStopping: monitor must be one of 'valLoss', 'loss', 'valAccuracy', 'accuracy', got val_loss");
    expect(() => new EarlyStopping({ restoreBest: true } as never)).toThrow("EarlyStopping: unknown option 'restoreBest'");
  });
});

describe('TerminateOnNaN (on by default)', () => {
  /** A loss that turns NaN at epoch 2, batch 1. */
  const poisoned = (when: { epoch: number }) => (o: Tensor, t: Tensor) => {
    const value = crossEntropy(o, t);
    return when.epoch === 2 && poisoned.batch++ === 1 ? value.mul(NaN) : value;
  };
  poisoned.batch = 0;

  it('stops fit with an error naming the epoch, the batch and the last finite loss, before the bad step', () => {
    manualSeed(7);
    const model = new Sequential(new Linear(2, 3));
    const when = { epoch: 0 };
    let beforeBadBatch: number[][] = [];
    let lastLoss = NaN;
    poisoned.batch = 0;
    const run = () => fit(model, {
      train: blobs(30), loss: poisoned(when), optimizer: sgd(model.parameters(), 0.1), epochs: 3, batchSize: 10, progress: false,
      callbacks: [{ onEpochBegin: (epoch) => (when.epoch = epoch), onBatchEnd: (logs, state) => { beforeBadBatch = values(state.model); lastLoss = logs.loss; } }],
    });
    let error: unknown;
    try {
      run();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NonFiniteLossError);
    const e = error as NonFiniteLossError;
    expect([e.epoch, e.batch, e.lastFinite]).toEqual([2, 1, { epoch: 2, batch: 0, loss: lastLoss }]);
    expect(e.message).toContain(`fit: the loss is NaN at epoch 2, batch 1; the last finite loss was ${lastLoss} (epoch 2, batch 0)`);
    expect(values(model)).toEqual(beforeBadBatch); // the NaN step was never taken
    expect(values(model).flat().every(Number.isFinite)).toBe(true);
  });

  it('terminateOnNaN: false trains on through it', () => {
    manualSeed(7);
    const model = new Sequential(new Linear(2, 3));
    const when = { epoch: 0 };
    poisoned.batch = 0;
    const history = fit(model, {
      train: blobs(30), loss: poisoned(when), optimizer: sgd(model.parameters(), 0.1), epochs: 3, batchSize: 10, progress: false, terminateOnNaN: false,
      callbacks: [{ onEpochBegin: (epoch) => (when.epoch = epoch) }],
    });
    expect(history.epochs).toHaveLength(3);
    expect(history.epochs[2]!.loss).toBeNaN();
  });
});

describe('LearningRateMonitor', () => {
  it('logs the rate each epoch trained with, before the scheduler changes it, and per step if asked', () => {
    manualSeed(1);
    const model = new Sequential(new Linear(2, 3));
    const optimizer = sgd(model.parameters(), 0.1);
    const halve = { step: () => (optimizer.lr /= 2) };
    const perEpoch = new LearningRateMonitor();
    const perStep = new LearningRateMonitor({ loggingInterval: 'step' });
    const history = fit(model, { train: blobs(30), loss: (o, t) => crossEntropy(o, t), optimizer, scheduler: halve, epochs: 3, batchSize: 16, progress: false, callbacks: [perEpoch, perStep] });
    expect(history.epochs.map((e) => e.lr)).toEqual([0.1, 0.05, 0.025]); // the last epoch trained at 0.025, not the 0.0125 after it
    expect(perEpoch.rates).toEqual([0.1, 0.05, 0.025]);
    expect(perStep.rates).toEqual([0.1, 0.1, 0.05, 0.05, 0.025, 0.025]);
    expect(() => new LearningRateMonitor({ loggingInterval: 'batch' as never })).toThrow("LearningRateMonitor: loggingInterval must be 'epoch' or 'step', got batch");
    const noRate = { zeroGrad() {}, step() {} };
    expect(() => fit(model, { train: blobs(6), loss: (o, t) => crossEntropy(o, t), optimizer: noRate, epochs: 1, progress: false, callbacks: [new LearningRateMonitor()] }))
      .toThrow('LearningRateMonitor: the optimizer has no numeric lr to record');
  });
});

describe('ModelCheckpoint', () => {
  it('saves the best epoch as safetensors with PyTorch keys, and only when the monitored quantity improves', () => {
    const saved: { epoch: number; bytes: Uint8Array }[] = [];
    const stateAt: number[][][] = [];
    const stateLoss: number[] = [];
    const checkpoint = new ModelCheckpoint({ save: (bytes, logs) => saved.push({ epoch: logs.epoch, bytes }), saveBestOnly: true, monitor: 'loss' });
    const { model: model0 } = ascending(4, [checkpoint], (logs, m) => { stateAt.push(values(m)); stateLoss.push(logs.loss); });
    expect(saved.map((s) => s.epoch)).toEqual([1]); // ascent: only epoch 1 was ever the best
    const dict = loadSafetensors(saved[0]!.bytes);
    expect([...dict.keys()].sort()).toEqual(['0.bias', '0.weight', '1.bias', '1.num_batches_tracked', '1.running_mean', '1.running_var', '1.weight', '3.bias', '3.weight']);
    expect(byKey(dict)).toEqual(Object.fromEntries([...model0.stateDict().keys()].map((k, i) => [k, stateAt[0]![i]])));
    expect(dict.metadata.epoch).toBe('1');
    expect(Number(dict.metadata.loss)).toBe(stateLoss[0]);
    const every: number[] = [];
    ascending(3, [new ModelCheckpoint({ save: (_bytes, logs) => every.push(logs.epoch) })]);
    expect(every).toEqual([1, 2, 3]);
  });

  it('writes whole files to a path with {epoch}, making folders, leaving no partial file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'backprop-checkpoint-'));
    try {
      const checkpoint = new ModelCheckpoint({ path: join(dir, 'runs', 'epoch-{epoch}.safetensors') });
      const { model } = ascending(2, [checkpoint]);
      expect(readdirSync(join(dir, 'runs')).sort()).toEqual(['epoch-1.safetensors', 'epoch-2.safetensors']);
      expect(checkpoint.savedPath).toBe(join(dir, 'runs', 'epoch-2.safetensors'));
      const last = loadSafetensors(new Uint8Array(readFileSync(checkpoint.savedPath!)));
      expect(byKey(last)).toEqual(byKey(model.stateDict()));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names bad options', () => {
    expect(() => new ModelCheckpoint({})).toThrow('ModelCheckpoint: give either path (a file to write, in Node) or save (a function that receives the bytes)');
    expect(() => new ModelCheckpoint({ path: 'a', save: () => {} })).toThrow('ModelCheckpoint: give either path');
    expect(() => new ModelCheckpoint({ path: 'a', every: 2 } as never)).toThrow("ModelCheckpoint: unknown option 'every'");
    expect(() => new ModelCheckpoint({ save: () => {}, saveBestOnly: true, mode: 'lowest' as never })).toThrow("ModelCheckpoint: mode must be 'min', 'max' or 'auto', got lowest");
  });
});

describe('gradient clipping', () => {
  it('clipGradValue bounds every element and clipGradNorm the joint norm of the gradients each step sees', () => {
    for (const [option, bound] of [[{ clipGradValue: 0.01 }, (g: number[]) => Math.max(...g.map(Math.abs))], [{ clipGradNorm: 0.05 }, (g: number[]) => Math.hypot(...g)]] as const) {
      manualSeed(1);
      const model = new Sequential(new Linear(2, 3));
      const optimizer = sgd(model.parameters(), 1);
      const seen: number[] = [];
      const { step } = optimizer;
      optimizer.step = () => {
        seen.push(bound(model.parameters().flatMap((p) => Array.from(p.grad!.values()))));
        step();
      };
      fit(model, { train: blobs(30), loss: (o, t) => crossEntropy(o, t), optimizer, epochs: 2, batchSize: 10, progress: false, ...option });
      const limit = 'clipGradValue' in option ? option.clipGradValue : option.clipGradNorm;
      expect(seen).toHaveLength(6);
      expect(Math.max(...seen)).toBeLessThanOrEqual(limit * (1 + 1e-5));
      expect(Math.max(...seen)).toBeGreaterThan(limit * 0.99); // it did clip: the raw gradients were larger
    }
  });
});
