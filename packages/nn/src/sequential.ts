import type { Tensor } from '@backprop/autograd';
import { forwardFused } from './linear';
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
   * memory reused instead of spilled. A Linear followed by a ReLU, Tanh or Sigmoid runs as one op (the same
   * values, without the activation's own tensor and tape entry).
   */
  forward(x: Tensor): Tensor {
    const layers = this.layers;
    let h = x;
    let ownsH = false; // h was made by a layer that keeps no tensors (never the caller's x)
    for (let i = 0; i < layers.length; i++) {
      const layer = layers[i]!;
      const fused = forwardFused(layer, layers[i + 1], h);
      const next = fused ?? layer.forward(h);
      if (fused) i++; // the activation ran too (and, like the Linear, keeps no tensors)
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
