import { describeValue, DTypeError, firstOutside, FLOAT32_MAX, noGrad, ShapeError, Tensor } from '@backprop/autograd';
import { loadSafetensors, predict, saveSafetensors, type Module, type SafetensorsDict } from '@backprop/nn';
import type { ModelCard } from './card';

/** Samples per forward pass in predict(). */
const PREDICT_BATCH = 500;

/** What a model takes: its sample shape when it takes images, and whether its inputs are pixels in [0, 1]. */
export interface ZooInput {
  sampleShape?: readonly number[];
  pixels?: boolean;
}

/** A trained model: the nn module, its card, and predict() from raw features to class ids. */
export class ZooModel {
  constructor(
    readonly model: Module,
    readonly card: ModelCard,
    /** 'binary': one logit per sample (class 1 when > 0); 'multiclass': one logit per class. */
    readonly output: 'binary' | 'multiclass',
    input: ZooInput = {},
  ) {
    this.sampleShape = input.sampleShape;
    this.pixels = input.pixels ?? false;
  }

  /** One sample's shape when the model takes images ([1, 28, 28]): predict also takes them flat, [n, 784]. */
  readonly sampleShape?: readonly number[];
  /** Whether the inputs are pixels in [0, 1] (predict refuses others: 0-255 pixels would give wrong classes). */
  readonly pixels: boolean;

  /**
   * Class ids (int32 [n]) for raw features [n, features] (or, for a model of images, [n, ...sampleShape]);
   * standardisation is part of the model.
   */
  predict(x: Tensor): Tensor {
    if (!(x instanceof Tensor)) throw new TypeError(`${this.card.name}.predict: expected a Tensor of features, got ${describeValue(x)}`);
    this.checkValues(x);
    return noGrad(() => {
      // In batches, so a whole dataset (60,000 images) fits in memory: a CNN's activations are 100x its input.
      const logits = predict(this.model, this.samples(x), { batchSize: PREDICT_BATCH });
      return this.output === 'binary' ? logits.reshape([-1]).gt(0).int() : logits.argmax(1);
    });
  }

  /** NaN, infinities and, for a model of pixels, values outside [0, 1] would give classes without meaning: refused. */
  private checkValues(x: Tensor): void {
    if (x.dtype !== 'float32') throw new DTypeError(`${this.card.name}.predict: expected float32 features, got ${x.dtype}`);
    const [lo, hi] = this.pixels ? [0, 1] : [-FLOAT32_MAX, FLOAT32_MAX];
    const bad = firstOutside(x, lo, hi);
    if (bad < 0) return;
    const value = noGrad(() => x.flatten().narrow(0, bad, 1).item());
    if (!Number.isFinite(value)) throw new RangeError(`${this.card.name}.predict: every feature must be a finite number, but element ${bad} is ${value}`);
    const hint = value > 1 ? ' (if these are 0-255 pixels, scale them by 1/255)' : '';
    throw new RangeError(`${this.card.name}.predict: expected pixels in [0, 1] (the model standardises them itself), but element ${bad} is ${value}${hint}`);
  }

  /** x as the model's input: flat rows [n, features] of an image model become [n, ...sampleShape]. */
  private samples(x: Tensor): Tensor {
    if (!this.sampleShape) return x;
    const shape = this.sampleShape;
    const features = shape.reduce((a, b) => a * b, 1);
    if (x.rank === 2 && x.shape[1] === features) return x.reshape([x.shape[0]!, ...shape]);
    if (x.rank === shape.length + 1 && shape.every((d, i) => x.shape[i + 1] === d)) return x;
    throw new ShapeError(`${this.card.name}.predict: expected pixels [n, ${features}] or [n, ${shape.join(', ')}], got shape [${x.shape.join(', ')}]`);
  }

  /** The fraction of samples predicted correctly against int32 labels. */
  accuracy(x: Tensor, labels: Tensor): number {
    if (!(labels instanceof Tensor) || labels.dtype !== 'int32' || labels.rank !== 1 || labels.shape[0] !== x.shape[0]) {
      const got = labels instanceof Tensor ? `${labels.dtype} [${labels.shape.join(', ')}]` : describeValue(labels);
      throw new TypeError(`${this.card.name}.accuracy: expected int32 labels [${x.shape[0]}], one per sample, got ${got}`);
    }
    const [p, y] = [this.predict(x).values(), labels.values()];
    let correct = 0;
    for (let i = 0; i < p.length; i++) if (p[i] === y[i]) correct++;
    return correct / p.length;
  }

  /** The weights as a safetensors file, with the card in its metadata. */
  save(): Uint8Array {
    return saveSafetensors(this.model.stateDict(), { card: JSON.stringify(this.card) });
  }

  /** Loads weights (throws the SafetensorsError of a corrupted file, never a wrong model). */
  loadWeights(bytes: Uint8Array): this {
    return this.loadDict(loadSafetensors(bytes));
  }

  /** Loads an already parsed file's tensors (strictly). */
  loadDict(dict: SafetensorsDict): this {
    this.model.loadStateDict(dict);
    return this;
  }
}
