import { rand, type Tensor } from '@backprop/autograd';
import { keepsNoTensors, Module } from './module';

/** Flattens every dimension after the first: [n, ...] -> [n, features]. */
export class Flatten extends Module {
  forward(x: Tensor): Tensor {
    return x.reshape([x.shape[0] ?? 1, -1]);
  }
}

/**
 * Zeroes each element with probability p during training and scales the rest by 1 / (1 - p) (inverted
 * dropout), drawing from the seeded generator; the identity in eval mode.
 */
export class Dropout extends Module {
  constructor(readonly p = 0.5) {
    super();
    if (!(p >= 0 && p < 1)) throw new RangeError(`Dropout: p must be in [0, 1), got ${p}`);
  }

  forward(x: Tensor): Tensor {
    if (!this.training || this.p === 0) return x;
    const mask = rand(x.shape).ge(this.p).mul(1 / (1 - this.p));
    return x.mul(mask);
  }
}

keepsNoTensors(Flatten, Dropout);
