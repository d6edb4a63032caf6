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

  /**
   * The layers in turn. An intermediate result between two layers that keep no tensors is seen by nobody
   * else, so it is discarded: freed as soon as backward no longer needs it (at once under noGrad), its
   * memory reused instead of spilled.
   */
  forward(x: Tensor): Tensor {
    let h = x;
    let ownsH = false; // h was made by a layer that keeps no tensors (never the caller's x)
    for (const layer of this.layers) {
      const next = layer.forward(h);
      const tensorFree = layer.holdsNoTensors();
      if (next === h) ownsH &&= tensorFree;
      else {
        if (ownsH && tensorFree) h.discard();
        ownsH = tensorFree;
      }
      h = next;
    }
    return h;
  }

  override holdsNoTensors(): boolean {
    return this.layers.every((layer) => layer.holdsNoTensors());
  }
}
