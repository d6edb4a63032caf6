import type { Module } from '../module';
import { Sequential } from '../sequential';
import { Linear } from '../linear';
import { Conv2d } from '../conv';
import { AdaptiveAvgPool2d, AvgPool2d, MaxPool2d } from '../pooling';
import { BatchNorm1d, BatchNorm2d, LayerNorm } from '../normalization';
import { Embedding } from '../embedding';
import { Dropout, Flatten } from '../layers';
import { Standardize } from '../standardize';
import { ELU, LeakyReLU, PReLU, ReLU, Sigmoid, Softplus, Tanh } from '../activations';

/** A model the exporters cannot describe: the message names the module and its path in the model. */
export class ExportError extends Error {
  override name = 'ExportError';
}

/** The layers both exporters know. A subclass is not one of them: its forward may do anything. */
const LAYERS: readonly (abstract new (...args: never[]) => Module)[] = [
  Linear, Conv2d, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, BatchNorm1d, BatchNorm2d, LayerNorm, Embedding, Dropout, Flatten, Standardize,
  Sigmoid, Tanh, ReLU, LeakyReLU, PReLU, ELU, Softplus,
];

/** A layer of a model with its path, the prefix of its state-dict keys ('' for the model itself). */
export interface PlacedLayer {
  path: string;
  layer: Module;
}

export const childPath = (parent: string, name: string): string => (parent === '' ? name : `${parent}.${name}`);

/** Whether `module` is a Sequential itself (not a subclass with its own forward). */
export const isSequential = (module: Module): module is Sequential => module.constructor === Sequential;

/** Throws the ExportError for a module that is neither a library layer nor a Sequential of them. */
export function checkExportable(owner: string, module: Module, path: string): void {
  if (isSequential(module) || LAYERS.some((layer) => module.constructor === layer)) return;
  const where = path === '' ? 'the model itself' : `'${path}'`;
  throw new ExportError(
    `${owner}: cannot export ${module.constructor.name} at ${where}: it exports Sequential containers of the library's layers ` +
      `(${LAYERS.map((l) => l.name).join(', ')}), not modules with a forward of their own`,
  );
}

/** The layers the model runs, in order, through nested Sequentials. */
export function layersOf(owner: string, model: Module, path = ''): PlacedLayer[] {
  checkExportable(owner, model, path);
  if (!isSequential(model)) return [{ path, layer: model }];
  return model.namedChildren().flatMap(([name, child]) => layersOf(owner, child, childPath(path, name)));
}
