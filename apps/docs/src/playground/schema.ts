// The playground's settings as they appear in its URL.
import { activations, initialisers, optimizers } from '../choices';
import { type Schema } from '../url-state';
import { datasetNames } from './datasets';
import { featureNames } from './features';

export const playgroundSchema = {
  dataset: { kind: 'choice', default: 'circle', choices: datasetNames },
  noise: { kind: 'number', default: 0, min: 0, max: 50, integer: true },
  trainRatio: { kind: 'number', default: 50, min: 10, max: 90, integer: true },
  features: { kind: 'set', default: ['x1', 'x2'], choices: featureNames },
  hidden: { kind: 'ints', default: [4, 2], min: 1, max: 8, maxLength: 6 },
  activation: { kind: 'choice', default: 'tanh', choices: Object.keys(activations) },
  initialiser: { kind: 'choice', default: 'xavier', choices: Object.keys(initialisers) },
  optimizer: { kind: 'choice', default: 'adam', choices: Object.keys(optimizers) },
  lr: { kind: 'number', default: 0.03, min: 1e-5, max: 10 },
  regularization: { kind: 'choice', default: 'none', choices: ['none', 'l1', 'l2'] },
  regRate: { kind: 'number', default: 0, min: 0, max: 10 },
  dropout: { kind: 'number', default: 0, min: 0, max: 0.9 },
  batchSize: { kind: 'number', default: 10, min: 1, max: 100, integer: true },
  seed: { kind: 'number', default: 1, min: 0, max: 2 ** 31, integer: true },
} as const satisfies Schema;
