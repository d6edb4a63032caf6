// Shared by the training tests: a hand-written optimiser (nn may not import optim) and a small dataset.
import { manualSeed, tensor, type Tensor } from '@backprop/autograd';
import { Linear } from '../linear';
import { crossEntropy } from '../losses';
import { Sequential } from '../sequential';
import { ReLU } from '../activations';
import type { FitOptions } from './fit';

/** A tiny optimiser for these tests (nn may not import optim): p -= lr grad. */
export function sgd(params: Tensor[], lr: number): { zeroGrad: () => void; step: () => void; lr: number } {
  return {
    lr,
    zeroGrad: () => params.forEach((p) => p.zeroGrad()),
    step: () => params.forEach((p) => p.grad && p.detach().sub_(p.grad, lr)),
  };
}

export function blobs(n: number): { x: Tensor; y: Tensor } {
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

/** A small classifier run on blobs, the same in a test and in test-worker.ts (so the two can be compared bit for bit). */
export function blobsRun({ seed, epochs }: { seed: number; epochs: number }): { model: Sequential } & FitOptions {
  manualSeed(seed);
  const model = new Sequential(new Linear(2, 16), new ReLU(), new Linear(16, 3));
  return {
    model, train: blobs(120), validation: blobs(30), loss: (o, t) => crossEntropy(o, t), optimizer: sgd(model.parameters(), 0.1),
    epochs, batchSize: 16, seed, progress: false,
  };
}
