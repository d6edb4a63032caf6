import { checkOptions, concat, describeValue, noGrad, scope, type Tensor } from '@backprop/autograd';
import type { Module } from '../module';
import { DataLoader } from './data-loader';
import { accuracyFor, type Accuracy } from './metrics';

/** Tensors x and y (split into batches of batchSize), or any iterable of [x, y] batches (a DataLoader). */
export type Batches = { x: Tensor; y: Tensor } | Iterable<readonly [Tensor, Tensor]>;

/** The batches of `data`: a DataLoader over { x, y } (shuffled as asked), or the iterable itself. */
export function batchesOf(owner: string, data: Batches, options: { batchSize: number; shuffle?: boolean; seed?: number }): Iterable<readonly [Tensor, Tensor]> {
  if (data !== null && typeof data === 'object' && 'x' in data) return new DataLoader(data, options);
  if (data === null || typeof (data as Partial<Iterable<unknown>>)?.[Symbol.iterator] !== 'function') {
    throw new TypeError(`${owner}: data must be { x, y } tensors or an iterable of [x, y] batches (a DataLoader), got ${describeValue(data)}`);
  }
  return data;
}

export interface EvaluateOptions {
  loss: (output: Tensor, target: Tensor) => Tensor;
  batchSize?: number;
  accuracy?: Accuracy | false;
}

/** Loss (and accuracy) over a dataset in eval mode without recording gradients; the mode is restored after. */
export function evaluate(model: Module, data: Batches, options: EvaluateOptions): { loss: number; accuracy?: number } {
  checkOptions('evaluate', options, { loss: () => undefined, batchSize: 256, accuracy: undefined } satisfies Record<keyof EvaluateOptions, unknown>);
  const { loss, batchSize = 256, accuracy } = options;
  const wasTraining = model.training;
  model.eval();
  let total = 0;
  let correct = 0;
  let count = 0;
  let measure: Accuracy | undefined;
  try {
    noGrad(() => {
      for (const [x, y] of batchesOf('evaluate', data, { batchSize })) {
        scope(() => {
          const output = model.forward(x);
          const n = x.shape[0] ?? 1;
          total += loss(output, y).item() * n;
          measure ??= accuracyFor(accuracy, y);
          if (measure) correct += measure(output, y) * n;
          count += n;
        });
      }
    });
  } finally {
    model.train(wasTraining);
  }
  if (count === 0) throw new RangeError('evaluate: the dataset is empty');
  return { loss: total / count, ...(measure ? { accuracy: correct / count } : {}) };
}

/** The model's outputs for x, in eval mode and batches, as one tensor you own. */
export function predict(model: Module, x: Tensor, options: { batchSize?: number } = {}): Tensor {
  checkOptions('predict', options, { batchSize: 256 });
  const { batchSize = 256 } = options;
  const wasTraining = model.training;
  model.eval();
  try {
    return noGrad(() => {
      const n = x.shape[0] ?? 0;
      // One batch goes in as it is, with no view and no scope per call of a serving loop.
      if (n <= batchSize) return model.forward(x).keep();
      return scope(() => {
        // A scope per batch frees its temporaries before the next batch, so memory holds one batch's work, not n's.
        const parts: Tensor[] = [];
        for (let start = 0; start < n; start += batchSize) parts.push(scope(() => model.forward(x.slice(start, start + batchSize))));
        return concat(parts, 0);
      }).keep();
    });
  } finally {
    model.train(wasTraining);
  }
}
