import { manualSeed } from '@backprop/autograd';
import { breastCancer, trainTestSplit, type Dataset, type Split } from '@backprop/data';
import { binaryAccuracy, binaryCrossEntropyWithLogits, fit, Linear, Sequential, Standardize } from '@backprop/nn';
import { Adam } from '@backprop/optim';
import type { ModelCard } from './card';
import { asColumn, countParameters, datasetFacts, fitStandardize, simdLevelOf } from './common';
import { epochReporter, shippedEntry, type Recipe, type TrainOptions, type TrainResult } from './recipe';
import { ZooModel } from './zoo-model';

const NAME = 'logistic-regression';
const SPLIT = { testSize: 0.2, seed: 42 };
const EPOCHS = 300;
const LR = 0.01;

function architecture(): Sequential {
  return new Sequential(new Standardize(30), new Linear(30, 1));
}

/** Breast Cancer Wisconsin and its fixed 20% test split. */
async function split(): Promise<Split & { dataset: Dataset }> {
  const dataset = await breastCancer();
  return { dataset, ...trainTestSplit(dataset, SPLIT) };
}

const DATASET: ModelCard['dataset'] = {
  name: 'breast-cancer', samples: 569, features: 30, classes: ['malignant', 'benign'], license: 'CC BY 4.0',
  source: 'Breast Cancer Wisconsin (Diagnostic); Wolberg, Street, Mangasarian, 1995. UCI Machine Learning Repository',
};

function staticCard(parameters: number): ModelCard {
  return {
    dataset: DATASET,
    split: { train: 455, test: 114, seed: SPLIT.seed, rule: 'trainTestSplit, 20% test' },
    name: NAME,
    task: 'binary classification of breast tumours (0 = malignant, 1 = benign) from 30 cell-nucleus measurements',
    architecture: 'Standardize(30) -> Linear(30, 1), one logit: logistic regression',
    parameters,
    initializer: "PyTorch's Linear default, U(-1/sqrt(30), 1/sqrt(30))",
    optimizer: `Adam lr ${LR}, betas (0.9, 0.999)`,
    schedule: 'constant learning rate',
    loss: 'binary cross-entropy with logits',
    epochs: EPOCHS,
    batchSize: 455,
    seed: 0,
    trainedOn: simdLevelOf(),
  };
}

const create = (): ZooModel => {
  const net = architecture();
  return new ZooModel(net, staticCard(countParameters(net)), 'binary');
};

/** Logistic regression on Breast Cancer Wisconsin, standardised: >= 95% on a fixed 20% test split. */
export const logisticRegression: Recipe = {
  ...shippedEntry(NAME, create),
  split,

  async train({ seed = 0, onEpoch, progress }: TrainOptions = {}): Promise<TrainResult> {
    const { dataset, train, test } = await split();
    manualSeed(seed);
    const net = architecture();
    fitStandardize(net.layers[0] as Standardize, train.x);
    const start = performance.now();
    fit(net, {
      train: { x: train.x, y: asColumn(train.y) }, loss: (o, t) => binaryCrossEntropyWithLogits(o, t), optimizer: new Adam(net.parameters(), { lr: LR }),
      epochs: EPOCHS, batchSize: 455, shuffle: false, accuracy: binaryAccuracy, progress: progress ?? false,
      callbacks: epochReporter(onEpoch, EPOCHS),
    });
    const seconds = (performance.now() - start) / 1000;
    const card: ModelCard = { ...staticCard(countParameters(net)), seed, dataset: datasetFacts(dataset) };
    const model = new ZooModel(net, card, 'binary');
    const testAccuracy = model.accuracy(test.x, test.y);
    const trainAccuracy = model.accuracy(train.x, train.y);
    card.results = { testAccuracy, trainAccuracy, trainingSeconds: seconds };
    return { model, testAccuracy, trainAccuracy, seconds, samplesPerSecond: (EPOCHS * train.x.shape[0]!) / seconds };
  },
};

