import { ready } from '@backprop/autograd';
import { readPackageFile, type Split } from '@backprop/data';
import { loadSafetensors, type Callback, type SafetensorsDict } from '@backprop/nn';
import type { ModelCard } from './card';
import { ZooModel } from './zoo-model';

export interface TrainOptions {
  /** The seed of every random choice (initialisation, shuffling): the same seed gives bit-identical weights. */
  seed?: number;
  /** Called after every epoch (for progress displays). */
  onEpoch?: (epoch: number, epochs: number, loss: number) => void;
  /** Show fit's progress bar (default: on a terminal). */
  progress?: boolean;
}

/** fit's callbacks for a recipe's TrainOptions: onEpoch after every epoch. */
export function epochReporter(onEpoch: TrainOptions['onEpoch'], epochs: number): Callback[] {
  return onEpoch ? [{ onEpochEnd: (logs) => onEpoch(logs.epoch, epochs, logs.loss) }] : [];
}

export interface TrainResult {
  model: ZooModel;
  testAccuracy: number;
  trainAccuracy: number;
  seconds: number;
  /** Training samples seen per second. */
  samplesPerSecond: number;
  baselines?: Record<string, number>;
}

/** A zoo entry: the recipe that trains it, its architecture untrained, and its shipped weights. */
export interface Recipe {
  readonly name: string;
  /** The card of the shipped weights. */
  card(): Promise<ModelCard>;
  /** The architecture, untrained (random initialisation from the current seed). */
  create(): ZooModel;
  /** The recipe that produced the shipped weights, from scratch. */
  train(options?: TrainOptions): Promise<TrainResult>;
  /** The pretrained model shipped in the package. */
  load(): Promise<ZooModel>;
  /** The data the recipe trains on and the card's accuracy is measured on (its fixed test split). */
  split(): Promise<Split>;
}

/** The shipped weights file of a model: resolved relative to this package, in Node and in browsers. */
export function weightsFile(name: string): Promise<Uint8Array> {
  return readPackageFile(new URL(`../weights/${name}.safetensors`, import.meta.url), { pkg: '@backprop/zoo', path: `weights/${name}.safetensors`, from: import.meta.url });
}

/** The card stored in a parsed weights file's metadata. */
function cardOf(name: string, dict: SafetensorsDict): ModelCard {
  const card = dict.metadata.card;
  if (card === undefined) throw new Error(`the shipped weights of ${name} carry no model card`);
  return JSON.parse(card) as ModelCard;
}

/** The card of the shipped weights. */
export async function shippedCard(name: string): Promise<ModelCard> {
  return cardOf(name, loadSafetensors(await weightsFile(name)));
}

/** What every recipe does the same way: its name, the untrained model, and the shipped card and weights. */
export function shippedEntry(name: string, create: () => ZooModel): Pick<Recipe, 'name' | 'card' | 'create' | 'load'> {
  return { name, card: () => shippedCard(name), create, load: () => loadShipped(name, create) };
}

/** Loads the shipped weights into a fresh model with the shipped card: one read, one parse. */
export async function loadShipped(name: string, create: () => ZooModel): Promise<ZooModel> {
  const [bytes] = await Promise.all([weightsFile(name), ready()]);
  const dict = loadSafetensors(bytes);
  const empty = create();
  return new ZooModel(empty.model, cardOf(name, dict), empty.output, empty).loadDict(dict);
}
