// @backprop/zoo: pretrained models, each with the recipe that trained it and a model card.
export { logisticRegression } from './logistic-regression';
export { xorMlp, xorPoints, logisticOnXor } from './xor-mlp';
export { deepMlp, type Initialiser } from './deep-mlp';
export { lenet } from './lenet';
export { fashionCnn } from './fashion-cnn';
export { fashionMnistDir } from './common';
export { ZooModel } from './zoo-model';
export { recipes, recipe } from './registry';
export type { ModelCard } from './card';
export type { Recipe, TrainOptions, TrainResult } from './recipe';
