import type { Dataset } from '@backprop/data';
import { manualSeed, noGrad, type Tensor } from '@backprop/autograd';
import { crossEntropy, fit, init, Linear, type Module, ReLU, Sequential, Standardize } from '@backprop/nn';
import { Adam, ExponentialLR } from '@backprop/optim';
import type { ModelCard } from './card';
import { allModules, countParameters, datasetFacts, heInit, MNIST_DATASET, MNIST_SPLIT, mnistSplit, simdLevelOf, withShifts } from './common';
import { epochReporter, shippedEntry, type Recipe, type TrainOptions, type TrainResult } from './recipe';
import { ZooModel } from './zoo-model';

const NAME = 'deep-mlp';
const SIZES = [784, 256, 128, 64, 32, 10];
const EPOCHS = 8;
const BATCH = 64;
const LR = 1e-3;
const GAMMA = 0.8;
/** Epochs given to the failing initialisations the card reports. */
const BASELINE_EPOCHS = 2;

function architecture(): Sequential {
  const layers: Module[] = [new Standardize(784)];
  SIZES.slice(1).forEach((out, i) => {
    layers.push(new Linear(SIZES[i]!, out));
    if (i < SIZES.length - 2) layers.push(new ReLU());
  });
  return new Sequential(...layers);
}

function staticCard(parameters: number): ModelCard {
  return {
    name: NAME,
    task: 'handwritten digit classification (MNIST, 28 x 28 pixels)',
    dataset: MNIST_DATASET,
    split: { train: 8000, test: 2000, seed: MNIST_SPLIT.seed, rule: 'trainTestSplit, 2,000 test digits' },
    architecture: `Standardize(784, the training pixels' global mean and std) -> ${SIZES.slice(1).map((n, i) => `Linear(${SIZES[i]}, ${n})`).join(' -> ReLU -> ')}: 4 hidden ReLU layers`,
    parameters,
    initializer: 'He (Kaiming normal, fanIn, ReLU gain): Var = 2/fanIn; zero biases',
    optimizer: `Adam lr ${LR}`,
    schedule: `ExponentialLR, gamma ${GAMMA} per epoch; training set augmented with its 1-pixel shifts left, right, up and down (40,000 images)`,
    loss: 'cross-entropy from logits',
    epochs: EPOCHS,
    batchSize: BATCH,
    seed: 0,
    trainedOn: simdLevelOf(),
  };
}

export type Initialiser = 'he' | 'zeros' | 'tooSmall';

/** MNIST, the fixed split and the augmented training set: prepared once per recipe run. */
interface Prepared {
  data: Dataset;
  train: { x: Tensor; y: Tensor };
  test: { x: Tensor; y: Tensor };
  augmented: { x: Tensor; y: Tensor };
}

async function prepare(): Promise<Prepared> {
  const { dataset, train, test } = await mnistSplit();
  return { data: dataset, train, test, augmented: withShifts(train) };
}

/** One training run of the network on prepared data, initialised as `how` says. */
function trainOn({ data, train, test, augmented }: Prepared, how: Initialiser, epochs: number, { seed = 0, onEpoch, progress }: TrainOptions): TrainResult {
  manualSeed(seed);
  const net = architecture();
  initialise(net, how);
  standardizeGlobally(net.layers[0] as Standardize, train.x);
  const optimizer = new Adam(net.parameters(), { lr: LR });
  const start = performance.now();
  fit(net, {
    train: augmented, loss: (o, t) => crossEntropy(o, t), optimizer, scheduler: new ExponentialLR(optimizer, { gamma: GAMMA }),
    epochs, batchSize: BATCH, seed, progress: progress ?? false,
    callbacks: epochReporter(onEpoch, epochs),
  });
  const seconds = (performance.now() - start) / 1000;
  const card: ModelCard = { ...staticCard(countParameters(net)), epochs, seed, dataset: datasetFacts(data) };
  const model = new ZooModel(net, card, 'multiclass', { pixels: true });
  const testAccuracy = model.accuracy(test.x, test.y);
  const trainAccuracy = model.accuracy(train.x, train.y);
  card.results = { testAccuracy, trainAccuracy, trainingSeconds: seconds };
  return { model, testAccuracy, trainAccuracy, seconds, samplesPerSecond: (epochs * augmented.y.size) / seconds };
}

/** One mean and one std for every pixel: per-pixel statistics would blow up the rarely inked border. */
function standardizeGlobally(layer: Standardize, x: Tensor): void {
  const v = x.values();
  let mean = 0;
  for (const p of v) mean += p / v.length;
  let variance = 0;
  for (const p of v) variance += (p - mean) ** 2 / v.length;
  noGrad(() => {
    layer.mean.fill_(mean);
    layer.std.fill_(Math.sqrt(variance));
  });
}

function initialise(net: Module, how: Initialiser): void {
  if (how === 'he') return heInit(net);
  for (const m of allModules(net)) {
    if (!(m instanceof Linear)) continue;
    if (how === 'zeros') init.zeros_(m.weight);
    else init.normal_(m.weight, { std: 1e-4 });
    if (m.bias) init.zeros_(m.bias);
  }
}

const create = (): ZooModel => {
  const net = architecture();
  return new ZooModel(net, staticCard(countParameters(net)), 'multiclass', { pixels: true });
};

/** A deep ReLU network on MNIST: He initialisation, Adam with a decaying learning rate; >= 96% on 2,000 test digits. */
export const deepMlp: Recipe & { trainWith(how: Initialiser, epochs: number, options?: TrainOptions): Promise<TrainResult> } = {
  ...shippedEntry(NAME, create),
  split: mnistSplit,

  async train(options: TrainOptions = {}): Promise<TrainResult> {
    const data = await prepare();
    const result = trainOn(data, 'he', EPOCHS, options);
    // The lecture's pitfalls, same network, data and recipe, fewer epochs: all-zero and too-small initialisation.
    const seed = options.seed ?? 0;
    const zeros = trainOn(data, 'zeros', BASELINE_EPOCHS, { seed });
    const tooSmall = trainOn(data, 'tooSmall', BASELINE_EPOCHS, { seed });
    const baselines = { [`zeroInit${BASELINE_EPOCHS}Epochs`]: zeros.testAccuracy, [`normal1e-4Init${BASELINE_EPOCHS}Epochs`]: tooSmall.testAccuracy };
    result.model.card.results!.baselines = baselines;
    return { ...result, baselines };
  },

  async trainWith(how: Initialiser, epochs: number, options: TrainOptions = {}): Promise<TrainResult> {
    return trainOn(await prepare(), how, epochs, options);
  },
};
