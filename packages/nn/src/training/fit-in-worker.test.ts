import { loadSafetensors } from '../safetensors';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { fit, fitInWorker, serveFit, type EpochLogs } from '../index';
import { blobsRun } from './test-helpers';
import type { TestConfig } from './test-worker';

// Each worker is terminated (and awaited) before the file ends.
const workers: Worker[] = [];
function startWorker(): Worker {
  // tsx's loader, registered in the worker itself (execArgv's --import does not reach a worker thread in Node 20).
  const script = new URL('./test-worker.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(script)}); });`;
  const worker = new Worker(boot, { eval: true, execArgv: ['--conditions=@backprop/source'] });
  workers.push(worker);
  return worker;
}
afterAll(async () => {
  await Promise.all(workers.map((w) => w.terminate()));
});

const train = (worker: Worker, config: TestConfig, events = {}) => fitInWorker(worker, config, events);

describe('fitInWorker and serveFit', () => {
  it('train in the worker exactly as fit does here: the same epochs, the same weights bit for bit, and every event', async () => {
    const worker = startWorker();
    const epochs: EpochLogs[] = [];
    const reports: unknown[] = [];
    const { history, weights } = await train(worker, { kind: 'blobs', seed: 3, epochs: 6 }, { onEpoch: (l: EpochLogs) => epochs.push(l), onReport: (d: unknown) => reports.push(d) }).result;

    const { model, ...options } = blobsRun({ seed: 3, epochs: 6 });
    const want = fit(model, options);
    expect(history.epochs.map((e) => [e.epoch, e.loss, e.accuracy, e.valLoss, e.valAccuracy])).toEqual(want.epochs.map((e) => [e.epoch, e.loss, e.accuracy, e.valLoss, e.valAccuracy]));
    expect(history.stoppedEarly).toBe(false);
    expect(history.epochs[5]!.valAccuracy).toBe(1);
    expect(epochs).toEqual(history.epochs);
    const trained = loadSafetensors(weights);
    expect([...trained.keys()].sort()).toEqual(['0.bias', '0.weight', '2.bias', '2.weight']);
    for (const [name, t] of model.stateDict()) expect(trained.get(name)!.data(), name).toEqual(t.data());
    // The setup's own callback reported after each epoch, with the weights as they were then.
    expect(reports.map((r) => (r as { epoch: number }).epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    expect((reports[5] as { firstWeight: number }).firstWeight).toBe((model.stateDict().get('0.weight')!.data() as Float32Array)[0]);

    // The worker serves the next run too.
    const again = await train(worker, { kind: 'blobs', seed: 3, epochs: 2 }).result;
    expect(again.history.epochs.map((e) => e.loss)).toEqual(want.epochs.slice(0, 2).map((e) => e.loss));
  });

  it('stop() ends training after the batch in progress and still hands back the weights; batch logs arrive as it trains', async () => {
    const worker = startWorker();
    let batches = 0;
    const job = train(worker, { kind: 'blobs', seed: 5, epochs: 1_000_000 }, { onEpoch: (logs: EpochLogs) => logs.epoch === 3 && job.stop(), onBatch: () => batches++ });
    const { history, weights } = await job.result;
    expect(history.stoppedEarly).toBe(true);
    // The stop arrives within a slice of training: a few more epochs of this tiny model at most, never all of them.
    expect(history.epochs.length).toBeGreaterThanOrEqual(3);
    expect(history.epochs.length).toBeLessThan(1000);
    expect(batches).toBeGreaterThan(0);
    expect(loadSafetensors(weights).get('2.bias')!.shape).toEqual([3]);
    job.stop(); // settled: nothing happens

    // Stopped while its setup still runs: training ends after its first batch, the epoch's logs from that batch.
    const early = train(worker, { kind: 'slow-setup', seed: 5, epochs: 1_000_000 });
    early.stop();
    const stopped = (await early.result).history;
    expect(stopped.stoppedEarly).toBe(true);
    expect(stopped.epochs).toHaveLength(1);
  });

  it('reject with the worker\'s error, its name and message kept, and the worker serves the next run', async () => {
    const worker = startWorker();
    await expect(train(worker, { kind: 'throws' }).result).rejects.toMatchObject({ name: 'RangeError', message: 'the setup found a bad config' });
    const nan = await train(worker, { kind: 'nan' }).result.then(() => new Error('trained through NaN'), (e: unknown) => e as Error);
    expect(nan.name).toBe('NonFiniteLossError');
    expect(nan.message).toContain('fit: the loss is NaN at epoch 1, batch 0');
    await expect(train(worker, { kind: 'unknown-option' }).result).rejects.toThrow(/fit: unknown option 'colour'/);
    await expect(train(worker, { kind: 'no-model' }).result).rejects.toThrow("serveFit: setup must return { model, ...fit's options } with model a Module");
    const { history } = await train(worker, { kind: 'blobs', seed: 1, epochs: 1 }).result;
    expect(history.epochs).toHaveLength(1);
  });

  it('refuse a second run while one trains, naming the one in progress', async () => {
    const worker = startWorker();
    const first = train(worker, { kind: 'blobs', seed: 2, epochs: 1_000_000 });
    await expect(train(worker, { kind: 'blobs', seed: 2, epochs: 1 }).result).rejects.toThrow(/this worker is still training \(job \d+\)/);
    first.stop();
    expect((await first.result).history.stoppedEarly).toBe(true);
  });

  it('reject when the worker dies, saying how', async () => {
    await expect(train(startWorker(), { kind: 'exits' }).result).rejects.toThrow('fitInWorker: the worker exited with code 3 before training finished');
  });

  it('name bad arguments', () => {
    const worker = startWorker();
    expect(() => fitInWorker({}, {})).toThrow('fitInWorker: worker must be a Worker whose script calls serveFit, got');
    expect(() => fitInWorker(worker, { model: () => 1 })).toThrow(/fitInWorker: the config cannot be sent to a worker \(.*\); send plain data/);
    expect(() => fitInWorker(worker, {}, { onEpochs: () => {} } as never)).toThrow("fitInWorker: unknown event handler 'onEpochs'; the handlers are onEpoch, onBatch and onReport");
    expect(() => fitInWorker(worker, {}, { onEpoch: 3 } as never)).toThrow('fitInWorker: onEpoch must be a function, got');
    expect(() => serveFit(3 as never)).toThrow('serveFit: setup must be a function');
    expect(() => serveFit(() => ({}) as never)).toThrow("serveFit: port must be a worker's global scope or worker_threads' parentPort (call serveFit inside a worker), got undefined");
  });
});
