// A training helper in the spirit of Keras' fit that keeps the loop visible: per batch zeroGrad, forward,
// loss, backward, step; per epoch the metrics, the scheduler, validation and early stopping. It needs only
// structural types, so any optimiser, scheduler or batch source (a DataLoader) works.
import { checkOptions, concat, noGrad, scope, seededRandom, tensor, type Tensor } from '@backprop/autograd';
import type { Module } from './module';

/** Tensors x and y (split into batches of batchSize, shuffled if asked), or any iterable of [x, y] batches. */
export type Batches = { x: Tensor; y: Tensor } | Iterable<readonly [Tensor, Tensor]>;

export interface EpochLogs {
  epoch: number;
  loss: number;
  accuracy?: number;
  valLoss?: number;
  valAccuracy?: number;
  lr?: number;
  seconds: number;
}

export interface FitCallbacks {
  onEpochEnd?(logs: EpochLogs): void;
  onBatchEnd?(batch: number, loss: number): void;
}

export type Monitor = 'valLoss' | 'loss' | 'valAccuracy' | 'accuracy';

export interface FitOptions {
  train: Batches;
  validation?: Batches;
  loss: (output: Tensor, target: Tensor) => Tensor;
  optimizer: { zeroGrad(): void; step(): void; readonly lr?: number };
  epochs: number;
  batchSize?: number;
  /** Reshuffle `train` each epoch when given as { x, y } (default true), reproducibly from `seed`. */
  shuffle?: boolean;
  seed?: number;
  /** Stepped once per epoch; a metric-driven one (ReduceLROnPlateau) gets the validation (else training) loss. */
  scheduler?: { step(): void } | { readonly metricDriven: true; step(metric: number): void };
  /** Accuracy of a batch (default: argmax accuracy when targets are int32 labels; none otherwise). */
  accuracy?: ((output: Tensor, target: Tensor) => number) | false;
  earlyStopping?: { monitor?: Monitor; patience: number; minDelta?: number; restoreBest?: boolean };
  callbacks?: FitCallbacks;
  /** A progress bar on stderr (default: when stderr is a terminal). */
  progress?: boolean;
}

export interface History {
  epochs: EpochLogs[];
  stoppedEarly: boolean;
}

// Accuracies count matches (exact in float32 up to 2^24) and divide in float64, so the same predictions give
// the same accuracy however they are batched.

/** The fraction of rows whose argmax matches the int32 label. */
export function multiclassAccuracy(output: Tensor, labels: Tensor): number {
  return noGrad(() => scope(() => output.argmax(1).eq(labels).sum().item() / labels.size));
}

/** The fraction of binary predictions (logit > 0) that match 0/1 targets. */
export function binaryAccuracy(logits: Tensor, targets: Tensor): number {
  return noGrad(() => scope(() => logits.gt(0).eq(targets).sum().item() / targets.size));
}

/** A seeded Fisher-Yates shuffle, so every epoch's order is reproducible. */
export function permutation(n: number, seed: number): number[] {
  const random = seededRandom(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/** The batches of one pass: slices of { x, y } (in `order` if given), or the iterable itself. */
function* batchesOf(data: Batches, batchSize: number, order?: number[]): Generator<readonly [Tensor, Tensor]> {
  if (!('x' in data)) {
    yield* data;
    return;
  }
  const n = data.x.shape[0] ?? 0;
  if (data.y.shape[0] !== n) throw new RangeError(`fit: x has ${n} rows but y has ${data.y.shape[0]}`);
  for (let start = 0; start < n; start += batchSize) {
    if (!order) yield [data.x.slice(start, start + batchSize), data.y.slice(start, start + batchSize)];
    else {
      const rows = order.slice(start, start + batchSize);
      yield [data.x.indexSelect(rows), data.y.indexSelect(rows)];
    }
  }
}

function defaultAccuracy(target: Tensor): ((output: Tensor, target: Tensor) => number) | undefined {
  return target.dtype === 'int32' ? multiclassAccuracy : undefined;
}

export interface EvaluateOptions {
  loss: (output: Tensor, target: Tensor) => Tensor;
  batchSize?: number;
  accuracy?: ((output: Tensor, target: Tensor) => number) | false;
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
  let measure: ((o: Tensor, t: Tensor) => number) | undefined;
  noGrad(() => {
    for (const [x, y] of batchesOf(data, batchSize)) {
      scope(() => {
        const output = model.forward(x);
        const n = x.shape[0] ?? 1;
        total += loss(output, y).item() * n;
        measure ??= accuracy === false ? undefined : (accuracy ?? defaultAccuracy(y));
        if (measure) correct += measure(output, y) * n;
        count += n;
      });
    }
  });
  model.train(wasTraining);
  if (count === 0) throw new RangeError('evaluate: the dataset is empty');
  return { loss: total / count, ...(measure ? { accuracy: correct / count } : {}) };
}

/** The model's outputs for x, in eval mode and batches, as one tensor you own. */
export function predict(model: Module, x: Tensor, options: { batchSize?: number } = {}): Tensor {
  checkOptions('predict', options, { batchSize: 256 });
  const { batchSize = 256 } = options;
  const wasTraining = model.training;
  model.eval();
  const out = noGrad(() =>
    scope(() => {
      const parts: Tensor[] = [];
      const n = x.shape[0] ?? 0;
      for (let start = 0; start < n; start += batchSize) parts.push(model.forward(x.slice(start, start + batchSize)));
      return parts.length === 1 ? parts[0]! : concat(parts, 0);
    }).keep(),
  );
  model.train(wasTraining);
  return out;
}

function progressBar(epoch: number, epochs: number, done: number, total: number, loss: number): string {
  const width = 24;
  const filled = total > 0 ? Math.round((done / total) * width) : width;
  return `\repoch ${epoch}/${epochs} [${'='.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total} loss ${loss.toFixed(4)}`;
}

function isTerminal(): boolean {
  const stderr = (globalThis as { process?: { stderr?: { isTTY?: boolean } } }).process?.stderr;
  return stderr?.isTTY === true;
}

function write(text: string): void {
  (globalThis as { process?: { stderr?: { write(s: string): void } } }).process?.stderr?.write(text);
}

/** Trains model for `epochs` epochs and returns the per-epoch history. */
/** The options of fit, each with an example of its type (undefined: checked where it is used). */
const fitOptions = {
  train: undefined, validation: undefined, loss: () => undefined, optimizer: undefined, epochs: 1, batchSize: 32, shuffle: true,
  seed: 0, scheduler: undefined, accuracy: undefined, earlyStopping: undefined, callbacks: undefined, progress: true,
} satisfies Record<keyof FitOptions, unknown>;

export function fit(model: Module, options: FitOptions): History {
  checkOptions('fit', options, fitOptions);
  const { train, validation, loss, optimizer, epochs, batchSize = 32, shuffle = true, seed = 0, scheduler, earlyStopping, callbacks } = options;
  if (!Number.isInteger(epochs) || epochs < 1) throw new RangeError(`fit: epochs must be a positive integer, got ${epochs}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`fit: batchSize must be a positive integer, got ${batchSize}`);
  const monitor: Monitor = earlyStopping?.monitor ?? (validation ? 'valLoss' : 'loss');
  const higherIsBetter = monitor.toLowerCase().includes('accuracy');
  let best = higherIsBetter ? -Infinity : Infinity;
  let bestWeights: Map<string, Float32Array> | undefined;
  let waited = 0;
  const showProgress = options.progress ?? isTerminal();
  const history: History = { epochs: [], stoppedEarly: false };
  const rows = 'x' in train ? (train.x.shape[0] ?? 0) : undefined;
  const batchesPerEpoch = rows === undefined ? 0 : Math.ceil(rows / batchSize);
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const start = performance.now();
    model.train();
    const order = shuffle && rows !== undefined ? permutation(rows, seed * 100003 + epoch) : undefined;
    let total = 0;
    let correct = 0;
    let count = 0;
    let batch = 0;
    let measure: ((o: Tensor, t: Tensor) => number) | undefined;
    for (const [x, y] of batchesOf(train, batchSize, order)) {
      optimizer.zeroGrad();
      const output = model.forward(x);
      const value = loss(output, y);
      value.backward();
      optimizer.step();
      const n = x.shape[0] ?? 1;
      const batchLoss = value.item();
      total += batchLoss * n;
      measure ??= options.accuracy === false ? undefined : (options.accuracy ?? defaultAccuracy(y));
      if (measure) correct += measure(output, y) * n;
      count += n;
      batch++; // not inside the optional call below: its arguments are skipped when there is no callback
      callbacks?.onBatchEnd?.(batch - 1, batchLoss);
      if (showProgress) write(progressBar(epoch, epochs, batch, batchesPerEpoch, total / count));
    }
    if (count === 0) throw new RangeError('fit: the training data yielded no batches');
    const logs: EpochLogs = { epoch, loss: total / count, seconds: 0 };
    if (measure) logs.accuracy = correct / count;
    if (validation) {
      const v = evaluate(model, validation, { loss, batchSize, ...(options.accuracy !== undefined ? { accuracy: options.accuracy } : {}) });
      logs.valLoss = v.loss;
      if (v.accuracy !== undefined) logs.valAccuracy = v.accuracy;
    }
    if (scheduler && 'metricDriven' in scheduler) scheduler.step(logs.valLoss ?? logs.loss);
    else scheduler?.step();
    if (optimizer.lr !== undefined) logs.lr = optimizer.lr;
    logs.seconds = (performance.now() - start) / 1000;
    if (showProgress) write(`${progressBar(epoch, epochs, batch, batchesPerEpoch, logs.loss)}${logs.valLoss !== undefined ? ` val ${logs.valLoss.toFixed(4)}` : ''}\n`);
    history.epochs.push(logs);
    callbacks?.onEpochEnd?.(logs);
    if (earlyStopping) {
      const value = logs[monitor];
      if (value === undefined) throw new RangeError(`fit: earlyStopping monitors '${monitor}', which this run does not compute`);
      const minDelta = earlyStopping.minDelta ?? 0;
      if (higherIsBetter ? value > best + minDelta : value < best - minDelta) {
        best = value;
        waited = 0;
        if (earlyStopping.restoreBest ?? true) bestWeights = new Map(model.namedParameters().map(([k, p]) => [k, Float32Array.from(p.values())]));
      } else if (++waited > earlyStopping.patience) {
        history.stoppedEarly = true;
        break;
      }
    }
  }
  if (bestWeights && history.stoppedEarly) {
    const saved = bestWeights;
    noGrad(() => {
      for (const [k, p] of model.namedParameters()) {
        using best = tensor(saved.get(k)!, { shape: p.shape });
        p.copy_(best);
      }
    });
  }
  return history;
}
