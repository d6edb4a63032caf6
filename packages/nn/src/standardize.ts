import type { Tensor } from '@backprop/autograd';
import { ones, zeros } from '@backprop/autograd';
import { buffer, keepsNoTensors, Module } from './module';

/**
 * (x - mean) / std per feature, with mean and std as buffers: preprocessing that travels with the model in
 * its state dict, so a model can take raw features. Set them from training statistics (or load them).
 */
export class Standardize extends Module {
  readonly mean: Tensor;
  readonly std: Tensor;

  constructor(readonly features: number) {
    super();
    if (!Number.isInteger(features) || features <= 0) throw new RangeError(`Standardize: features must be a positive integer, got ${JSON.stringify(features)}`);
    this.mean = buffer(zeros([features]));
    this.std = buffer(ones([features]));
  }

  forward(x: Tensor): Tensor {
    const centred = x.sub(this.mean);
    const y = centred.div(this.std);
    centred.discard(); // seen by nobody else: freed once backward no longer needs it
    return y;
  }
}

keepsNoTensors(Standardize);
