// fit in the spirit of Keras' and Lightning's: a visible loop (per batch zeroGrad, forward, loss, backward,
// step; per epoch the metrics, validation and the scheduler) and callbacks for everything else. It needs only
// structural types, so any optimiser, scheduler or batch source works.
import { checkOptions, describeValue, type Tensor } from '@backprop/autograd';
import type { Module } from '../module';
import type { BatchLogs, Callback, EpochLogs, FitOptimizer, FitState, History } from './callback';
import { batchesOf, evaluate, type Batches } from './evaluate';
import { gradientClipping } from './gradient-clipping';
import { accuracyFor, type Accuracy } from './metrics';
import { isTerminal, ProgressBar } from './progress-bar';
import { TerminateOnNaN } from './terminate-on-nan';

export interface FitOptions {
  train: Batches;
  validation?: Batches;
  loss: (output: Tensor, target: Tensor) => Tensor;
  optimizer: FitOptimizer;
  epochs: number;
  batchSize?: number;
  /** Reshuffle `train` each epoch when given as { x, y } (default true), reproducibly from `seed`. */
  shuffle?: boolean;
  seed?: number;
  /** Stepped once per epoch; a metric-driven one (ReduceLROnPlateau) gets the validation (else training) loss. */
  scheduler?: { step(): void } | { readonly metricDriven: true; step(metric: number): void };
  /** Accuracy of a batch (default: argmax accuracy when targets are int32 labels; none otherwise). */
  accuracy?: Accuracy | false;
  /** EarlyStopping, ModelCheckpoint, LearningRateMonitor, or your own: called in this order. */
  callbacks?: Callback[];
  /** Scale the gradients before each step so their joint 2-norm is at most this (PyTorch's clip_grad_norm_). */
  clipGradNorm?: number;
  /** Clamp each gradient element to [-v, v] before each step (PyTorch's clip_grad_value_); applied before clipGradNorm. */
  clipGradValue?: number;
  /** Stop with a NonFiniteLossError at the first NaN or infinite loss, before its step (default true). */
  terminateOnNaN?: boolean;
  /** A progress bar on stderr (default: when stderr is a terminal). */
  progress?: boolean;
}

export type { History };

/** The options of fit, each with an example of its type (undefined: checked where it is used). */
const fitOptions = {
  train: undefined, validation: undefined, loss: () => undefined, optimizer: undefined, epochs: 1, batchSize: 32, shuffle: true,
  seed: 0, scheduler: undefined, accuracy: undefined, callbacks: [], clipGradNorm: 1, clipGradValue: 1, terminateOnNaN: true, progress: true,
} satisfies Record<keyof FitOptions, unknown>;

/** Trains model for `epochs` epochs and returns the per-epoch history. */
export function fit(model: Module, options: FitOptions): History {
  const steps = fitSteps(model, options);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/**
 * fit's loop, paused after every batch and every epoch with its logs: fit runs it straight through; serveFit
 * reports the logs and returns to the worker's event loop now and then, so that a request to stop can arrive.
 * Resuming with `true` ends training as a callback's `stopTraining` does.
 */
export function* fitSteps(model: Module, options: FitOptions): Generator<BatchLogs | EpochLogs, History, boolean | undefined> {
  checkOptions('fit', options, fitOptions);
  const { train, validation, loss, optimizer, epochs, batchSize = 32, shuffle = true, seed = 0, scheduler, accuracy } = options;
  if (!Number.isInteger(epochs) || epochs < 1) throw new RangeError(`fit: epochs must be a positive integer, got ${epochs}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`fit: batchSize must be a positive integer, got ${batchSize}`);
  if (typeof optimizer?.zeroGrad !== 'function' || typeof optimizer.step !== 'function') {
    throw new TypeError(`fit: optimizer must have zeroGrad() and step() (e.g. new Adam(model.parameters())), got ${describeValue(optimizer)}`);
  }
  if (optimizer.paramGroups) {
    // An optimiser built on another model's parameters would train nothing here, without a sign.
    const updated = new Set(optimizer.paramGroups.flatMap((g) => g.params));
    if (!model.parameters().some((p) => updated.has(p))) {
      throw new Error("fit: the optimizer updates none of the model's parameters (was it built for another model? new Adam(model.parameters()))");
    }
  }
  for (const [name, limit] of [['clipGradNorm', options.clipGradNorm], ['clipGradValue', options.clipGradValue]] as const) {
    if (limit !== undefined && !(limit > 0)) throw new RangeError(`fit: ${name} must be > 0, got ${limit}`);
  }
  const batches = batchesOf('fit', train, { batchSize, shuffle, seed });
  if (batches === train && (options.shuffle !== undefined || options.seed !== undefined)) {
    // A DataLoader shuffles as it was built to; options that would be ignored are an error, not a surprise.
    throw new TypeError('fit: shuffle and seed apply to { x, y } training data; pass them to the DataLoader (or the iterable) you train on');
  }
  const callbacks = callbacksOf(options);
  const length = (batches as { length?: unknown }).length;
  const state: FitState = {
    model, optimizer, epochs, batchesPerEpoch: typeof length === 'number' ? length : undefined, history: { epochs: [], stoppedEarly: false }, stopTraining: false,
  };
  for (const c of callbacks) c.onTrainBegin?.(state);
  for (let epoch = 1; epoch <= epochs && !state.stopTraining; epoch++) {
    const start = performance.now();
    model.train();
    for (const c of callbacks) c.onEpochBegin?.(epoch, state);
    let total = 0;
    let correct = 0;
    let count = 0;
    let batch = 0;
    let measure: Accuracy | undefined;
    for (const [x, y] of batches) {
      optimizer.zeroGrad();
      const output = model.forward(x);
      const value = loss(output, y);
      value.backward();
      const logs = { epoch, batch: batch++, size: x.shape[0] ?? 1, loss: value.item() };
      for (const c of callbacks) c.onBeforeOptimizerStep?.(logs, state);
      optimizer.step();
      total += logs.loss * logs.size;
      measure ??= accuracyFor(accuracy, y);
      if (measure) correct += measure(output, y) * logs.size;
      count += logs.size;
      for (const c of callbacks) c.onBatchEnd?.(logs, state);
      if (yield logs) state.stopTraining = true;
      if (state.stopTraining) break;
    }
    if (count === 0) throw new RangeError('fit: the training data yielded no batches');
    const logs: EpochLogs = { epoch, loss: total / count, seconds: 0 };
    if (measure) logs.accuracy = correct / count;
    if (validation) {
      const v = evaluate(model, validation, { loss, batchSize, ...(accuracy !== undefined ? { accuracy } : {}) });
      logs.valLoss = v.loss;
      if (v.accuracy !== undefined) logs.valAccuracy = v.accuracy;
    }
    if (scheduler && 'metricDriven' in scheduler) scheduler.step(logs.valLoss ?? logs.loss);
    else scheduler?.step();
    logs.seconds = (performance.now() - start) / 1000;
    state.history.epochs.push(logs);
    for (const c of callbacks) c.onEpochEnd?.(logs, state);
    if (yield logs) state.stopTraining = true;
    if (state.stopTraining && epoch < epochs) state.history.stoppedEarly = true;
  }
  for (const c of callbacks) c.onTrainEnd?.(state);
  return state.history;
}

/** The NaN check first (before anything reads the gradients), then clipping, the user's callbacks, the progress bar. */
function callbacksOf(options: FitOptions): Callback[] {
  const { callbacks = [], clipGradNorm: maxNorm, clipGradValue: maxValue, terminateOnNaN = true } = options;
  for (const [i, c] of callbacks.entries()) {
    if (c === null || typeof c !== 'object') throw new TypeError(`fit: callbacks[${i}] must be a callback object (e.g. new EarlyStopping()), got ${describeValue(c)}`);
  }
  return [
    ...(terminateOnNaN ? [new TerminateOnNaN()] : []),
    ...(maxNorm !== undefined || maxValue !== undefined ? [gradientClipping({ maxNorm, maxValue })] : []),
    ...callbacks,
    ...(options.progress ?? isTerminal() ? [new ProgressBar()] : []),
  ];
}
