import { manualSeed, randn, type Tensor } from '@backprop/autograd';
import { describe, expect, it } from 'vitest';
import { Linear, ReLU, Sequential, Sigmoid, Tanh } from './index';

const bits = (t: Tensor | null): number[] => Array.from(new Uint32Array(Float32Array.from(t!.values()).buffer));

describe('Sequential', () => {
  it('runs Linear, activation pairs as one op: one graph node each, the same bits as the layers one by one', () => {
    manualSeed(5);
    const model = new Sequential(new Linear(6, 8), new ReLU(), new Linear(8, 5), new Tanh(), new Linear(5, 3), new Sigmoid(), new Linear(3, 2));
    const x = randn([7, 6]);
    const layerByLayer = (): Tensor => model.layers.reduce((h, layer) => layer.forward(h), x);
    const run = (forward: () => Tensor): number[][] => {
      const y = forward();
      y.sum().backward();
      const out = [bits(y), ...model.parameters().map((p) => bits(p.grad))];
      model.zeroGrad();
      return out;
    };
    expect(run(() => model.forward(x))).toEqual(run(layerByLayer));
    const ops: string[] = [];
    for (let node = model.forward(x).node; node; node = node.inputs[0]?.node ?? null) ops.push(node.op);
    expect(ops).toEqual(['linear', 'linear', 'linear', 'linear']);
  });

  it('runs a subclass that changes forward as written', () => {
    class Shifted extends ReLU {
      override forward(x: Tensor): Tensor {
        return super.forward(x).add(1);
      }
    }
    class NoBias extends Linear {
      override forward(x: Tensor): Tensor {
        return x.matmul(this.weight.transpose(0, 1));
      }
    }
    manualSeed(6);
    const x = randn([3, 4]);
    for (const model of [new Sequential(new Linear(4, 2), new Shifted()), new Sequential(new NoBias(4, 2), new ReLU())]) {
      const want = model.layers.reduce((h, layer) => layer.forward(h), x);
      expect(bits(model.forward(x))).toEqual(bits(want));
    }
  });
});
