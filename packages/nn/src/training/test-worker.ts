// The worker fit-in-worker.test.ts trains in (a worker_threads Worker): serveFit with a setup per config kind.
import { parentPort } from 'node:worker_threads';
import { serveFit, type WorkerFit } from '../index';
import { blobsRun } from './test-helpers';

export type TestConfig =
  | { kind: 'blobs' | 'slow-setup'; seed: number; epochs: number }
  | { kind: 'nan' | 'throws' | 'unknown-option' | 'no-model' | 'exits' };

serveFit(async (config: TestConfig, { report }): Promise<WorkerFit> => {
  switch (config.kind) {
    case 'slow-setup':
      await new Promise((resolve) => setTimeout(resolve, 200)); // fetching data, say
      return blobsRun(config);
    case 'blobs': {
      const run = blobsRun(config);
      const firstWeight = (): number => (run.model.stateDict().get('0.weight')!.data() as Float32Array)[0]!;
      return { ...run, callbacks: [{ onEpochEnd: (logs) => report({ epoch: logs.epoch, firstWeight: firstWeight() }) }] };
    }
    case 'nan': {
      const run = blobsRun({ seed: 1, epochs: 3 });
      return { ...run, loss: (o, t) => run.loss(o, t).mul(Number.NaN) };
    }
    case 'throws':
      throw new RangeError('the setup found a bad config');
    case 'unknown-option':
      return { ...blobsRun({ seed: 1, epochs: 1 }), colour: 'red' } as WorkerFit;
    case 'no-model':
      return { epochs: 1 } as WorkerFit;
    case 'exits':
      process.exit(3);
  }
}, parentPort);
