// The playground's network and its training, free of any page: the worker drives it, the tests run it in Node.
import { type Tensor, manualSeed, noGrad, tensor } from '@backprop/autograd';
import { type Callback, DataLoader, Dropout, Linear, type Module, Sequential, type WorkerFit, binaryCrossEntropyWithLogits, fit, penalty } from '@backprop/nn';
import { type Optimizer } from '@backprop/optim';
import { type ActivationName, activations, initialiseLinear, makeOptimizer } from '../choices';
import { type DatasetName, type Point, makeDataset } from './datasets';
import { type FeatureName, featureMatrix } from './features';

export interface PlaygroundConfig {
  dataset: DatasetName;
  /** Percent, 0-50. */
  noise: number;
  /** Percent of the points used for training, 10-90. */
  trainRatio: number;
  features: FeatureName[];
  hidden: number[];
  activation: ActivationName;
  initialiser: string;
  optimizer: string;
  lr: number;
  regularization: 'none' | 'l1' | 'l2';
  regRate: number;
  /** Dropout after every hidden layer's activation (0: none). */
  dropout: number;
  batchSize: number;
  seed: number;
}

export interface Snapshot {
  epoch: number;
  trainLoss: number;
  testLoss: number;
  /** P(label 1) on a size x size grid over [-6, 6]^2, row 0 at y = 6. */
  boundary: Float32Array;
  /** Each hidden neuron's output on a thumbSize^2 grid, by layer then neuron. */
  neurons: Float32Array[][];
}

export const DOMAIN = 6;

/** Grid points over [-6, 6]^2, row-major from the top-left (x = -6, y = 6). */
export function gridPoints(size: number): { x: number; y: number }[] {
  const step = (2 * DOMAIN) / (size - 1);
  return Array.from({ length: size * size }, (_, i) => ({ x: -DOMAIN + (i % size) * step, y: DOMAIN - Math.floor(i / size) * step }));
}

export class PlaygroundTrainer {
  readonly train: Point[];
  readonly test: Point[];
  readonly model: Sequential;
  epoch = 0;
  private readonly optimizer: Optimizer;
  private readonly trainX: Tensor;
  private readonly trainY: Tensor;
  private readonly testX: Tensor;
  private readonly testY: Tensor;
  private readonly batches: DataLoader;

  constructor(readonly config: PlaygroundConfig) {
    if (config.features.length === 0) throw new RangeError('choose at least one input feature');
    if (!(config.lr > 0 && Number.isFinite(config.lr))) throw new RangeError(`the learning rate must be a positive number, got ${config.lr}`);
    if (!Number.isInteger(config.batchSize) || config.batchSize < 1) throw new RangeError(`the batch size must be a positive integer, got ${config.batchSize}`);
    if (!(config.dropout >= 0 && config.dropout < 1)) throw new RangeError(`the dropout rate must be in [0, 1), got ${config.dropout}`);
    manualSeed(config.seed);
    ({ train: this.train, test: this.test } = makeDataset(config.dataset, { noise: (config.noise / 100) * 3, trainRatio: config.trainRatio / 100, seed: config.seed }));
    [this.trainX, this.trainY] = this.tensors(this.train);
    [this.testX, this.testY] = this.tensors(this.test);

    const layers: Module[] = [];
    let width = config.features.length;
    for (const units of config.hidden) {
      const linear = new Linear(width, units);
      initialiseLinear(linear, config.initialiser, config.activation);
      layers.push(linear, activations[config.activation].make());
      if (config.dropout > 0) layers.push(new Dropout(config.dropout));
      width = units;
    }
    const output = new Linear(width, 1);
    initialiseLinear(output, config.initialiser, 'sigmoid');
    this.model = new Sequential(...layers, output);
    this.optimizer = makeOptimizer(config.optimizer, this.model.parameters(), config.lr);
    this.batches = new DataLoader({ x: this.trainX, y: this.trainY }, { batchSize: config.batchSize, shuffle: true, seed: config.seed });
  }

  private tensors(points: Point[]): [Tensor, Tensor] {
    const x = tensor(featureMatrix(points, this.config.features), { shape: [points.length, this.config.features.length] });
    const y = tensor(Float32Array.from(points, (p) => p.label), { shape: [points.length, 1] });
    return [x, y];
  }

  /** The playground's penalties over the weights (not biases): L1 = rate sum |w|, L2 = rate sum w^2 / 2. */
  private penalty(): Tensor | null {
    const { regularization, regRate } = this.config;
    if (regularization === 'none' || regRate === 0) return null;
    return penalty(this.model, regularization === 'l1' ? { l1: regRate } : { l2: regRate / 2 });
  }

  /**
   * fit's model and options for `epochs` more epochs of this run, in shuffled mini-batches, with the penalty in the
   * objective; serveFit runs them in the worker, trainEpochs here. A NaN or infinite loss stops training before its
   * step, naming the run's epoch.
   */
  fitRun(epochs: number, callbacks: Callback[] = []): WorkerFit {
    const objective = (output: Tensor, y: Tensor): Tensor => {
      const loss = binaryCrossEntropyWithLogits(output, y);
      const penalty = this.penalty();
      return penalty ? loss.add(penalty) : loss;
    };
    const diverged: Callback = {
      onBeforeOptimizerStep: ({ loss }) => {
        if (!Number.isFinite(loss)) throw new RangeError(`the training loss diverged at epoch ${this.epoch + 1} (lower the learning rate)`);
      },
    };
    const counter: Callback = { onEpochEnd: () => void this.epoch++ };
    return {
      model: this.model, train: this.batches, loss: objective, optimizer: this.optimizer, epochs, accuracy: false, progress: false,
      terminateOnNaN: false, callbacks: [diverged, counter, ...callbacks],
    };
  }

  /** Trains `epochs` epochs on this thread (the tests do; the page trains in its worker). */
  trainEpochs(epochs = 1): void {
    const { model, ...options } = this.fitRun(epochs);
    fit(model, options);
  }

  /** Mean binary cross-entropy on a split, with no graph, in eval mode (no dropout). */
  loss(split: 'train' | 'test'): number {
    const [x, y] = split === 'train' ? [this.trainX, this.trainY] : [this.testX, this.testY];
    return this.evaluating(() => binaryCrossEntropyWithLogits(this.model.forward(x), y).item());
  }

  /** fn in eval mode without a graph; the model is left in training mode. */
  private evaluating<T>(fn: () => T): T {
    this.model.eval();
    try {
      return noGrad(fn);
    } finally {
      this.model.train();
    }
  }

  /** The decision boundary and every hidden neuron's response over the plane. */
  snapshot(size = 50, thumbSize = 20): Snapshot {
    const boundary = this.responses(size).output;
    const neurons = this.responses(thumbSize).hidden;
    return { epoch: this.epoch, trainLoss: this.loss('train'), testLoss: this.loss('test'), boundary, neurons };
  }

  private responses(size: number): { output: Float32Array; hidden: Float32Array[][] } {
    const points = gridPoints(size);
    const x = tensor(featureMatrix(points, this.config.features), { shape: [points.length, this.config.features.length] });
    return this.evaluating(() => {
      const hidden: Float32Array[][] = [];
      let h = x;
      for (const layer of this.model.layers) {
        h = layer.forward(h);
        if (!(layer instanceof Linear) && !(layer instanceof Dropout)) hidden.push(columns(h));
      }
      return { output: h.sigmoid().data() as Float32Array, hidden };
    });
  }

  dispose(): void {
    for (const t of [this.trainX, this.trainY, this.testX, this.testY, ...this.model.parameters()]) t.dispose();
  }
}

/** The columns of a [n, k] tensor as k arrays. */
function columns(t: Tensor): Float32Array[] {
  const [n, k] = t.shape as [number, number];
  const values = t.data() as Float32Array;
  return Array.from({ length: k }, (_, j) => Float32Array.from({ length: n }, (_, i) => values[i * k + j]!));
}
