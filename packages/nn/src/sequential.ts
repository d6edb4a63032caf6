import type { Tensor } from '@backprop/autograd';
import { Module } from './module';

/** Modules applied in order; children are named '0', '1', ... as in PyTorch. */
export class Sequential extends Module {
  readonly layers: readonly Module[];

  constructor(...layers: Module[]) {
    super();
    layers.forEach((layer, i) => {
      if (!(layer instanceof Module)) throw new TypeError(`Sequential: argument ${i} is not a Module`);
    });
    this.layers = layers;
  }

  override namedChildren(): [string, Module][] {
    return this.layers.map((layer, i) => [String(i), layer]);
  }

  forward(x: Tensor): Tensor {
    return this.layers.reduce((h, layer) => layer.forward(h), x);
  }
}
