import { manualSeed, tensor, type Tensor } from '@backprop/autograd';
import { binaryAccuracy, binaryCrossEntropyWithLogits, fit, init, Linear, type Module, Sequential, Tanh } from '@backprop/nn';
import { Adam } from '@backprop/optim';
import type { ModelCard } from './card';
import { asColumn, countParameters, simdLevelOf } from './common';
import { epochReporter, shippedEntry, type Recipe, type TrainOptions, type TrainResult } from './recipe';
import { ZooModel } from './zoo-model';

const NAME = 'xor-mlp';
const EPOCHS = 400;
const LR = 0.05;

/** The four points of XOR, the lecture's motivating problem: no straight line separates the classes. */
export function xorPoints(): { x: Tensor; y: Tensor } {
  return { x: tensor([[0, 0], [0, 1], [1, 0], [1, 1]]), y: tensor([0, 1, 1, 0], { dtype: 'int32' }) };
}

function architecture(): Sequential {
  const net = new Sequential(new Linear(2, 4), new Tanh(), new Linear(4, 1));
  // Xavier/Glorot with the tanh gain for the hidden layer (Var = gain^2 2/(fanIn + fanOut)).
  init.xavierUniform_((net.layers[0] as Linear).weight, { gain: init.calculateGain('tanh') });
  return net;
}

function staticCard(parameters: number): ModelCard {
  return {
    name: NAME,
    task: 'XOR of two binary inputs, the lecture\'s example of a problem a linear model cannot solve',
    dataset: { name: 'xor', source: 'the four points (0,0), (0,1), (1,0), (1,1)', license: 'public domain', samples: 4, features: 2, classes: ['0', '1'] },
    split: { train: 4, test: 4, seed: 0, rule: 'the four points are both the training and the test set' },
    architecture: 'Linear(2, 4) -> Tanh -> Linear(4, 1), one logit',
    parameters,
    initializer: 'Xavier uniform with the tanh gain 5/3 (hidden layer); PyTorch default (output layer)',
    optimizer: `Adam lr ${LR}`,
    schedule: 'constant learning rate',
    loss: 'binary cross-entropy with logits',
    epochs: EPOCHS,
    batchSize: 4,
    seed: 0,
    trainedOn: simdLevelOf(),
  };
}

/** The best accuracy plain logistic regression reaches on XOR with the same optimiser and budget. */
export function logisticOnXor(seed: number): number {
  manualSeed(seed);
  const { x, y } = xorPoints();
  const linear: Module = new Linear(2, 1);
  const history = fit(linear, {
    train: { x, y: asColumn(y) }, loss: (o, t) => binaryCrossEntropyWithLogits(o, t), optimizer: new Adam(linear.parameters(), { lr: LR }),
    epochs: EPOCHS, batchSize: 4, shuffle: false, accuracy: binaryAccuracy, progress: false,
  });
  return Math.max(...history.epochs.map((e) => e.accuracy ?? 0));
}

const create = (): ZooModel => {
  const net = architecture();
  return new ZooModel(net, staticCard(countParameters(net)), 'binary');
};

/** The lecture's XOR network: 100% on XOR, where logistic regression cannot pass 75%. */
export const xorMlp: Recipe = {
  ...shippedEntry(NAME, create),
  // The four points are the training and the test set.
  split: () => Promise.resolve({ train: xorPoints(), test: xorPoints() }),

  train({ seed = 0, onEpoch, progress }: TrainOptions = {}): Promise<TrainResult> {
    manualSeed(seed);
    const net = architecture();
    const { x, y } = xorPoints();
    const start = performance.now();
    fit(net, {
      train: { x, y: asColumn(y) }, loss: (o, t) => binaryCrossEntropyWithLogits(o, t), optimizer: new Adam(net.parameters(), { lr: LR }),
      epochs: EPOCHS, batchSize: 4, shuffle: false, accuracy: binaryAccuracy, progress: progress ?? false,
      callbacks: epochReporter(onEpoch, EPOCHS),
    });
    const seconds = (performance.now() - start) / 1000;
    const card = { ...staticCard(countParameters(net)), seed };
    const model = new ZooModel(net, card, 'binary');
    const accuracy = model.accuracy(x, y);
    const baselines = { logisticRegressionBestAccuracy: logisticOnXor(seed) };
    card.results = { testAccuracy: accuracy, trainAccuracy: accuracy, trainingSeconds: seconds, baselines };
    return Promise.resolve({ model, testAccuracy: accuracy, trainAccuracy: accuracy, seconds, samplesPerSecond: (EPOCHS * 4) / seconds, baselines });
  },
};
