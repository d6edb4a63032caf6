import { tensor, type NestedArray, type Tensor } from '@backprop/autograd';
import { describe, expect, it } from 'vitest';
import losses from './__fixtures__/losses.json';
import mlp from './__fixtures__/mlp.json';
import { binaryCrossEntropy, binaryCrossEntropyWithLogits, crossEntropy, Linear, mseLoss, ReLU, Sequential, Sigmoid, Tanh, type Module } from './index';

function flat(v: NestedArray): number[] {
  return Array.isArray(v) ? v.flatMap(flat) : [v];
}

function expectClose(got: Tensor | number, want: NestedArray, label: string): void {
  const g = typeof got === 'number' ? [got] : Array.from(got.values());
  const w = flat(want);
  expect(g.length, `${label}: size`).toBe(w.length);
  g.forEach((v, i) => {
    if (!(Math.abs(v - w[i]!) <= 1e-5 + 1e-4 * Math.abs(w[i]!))) expect.fail(`${label}[${i}] = ${v}, want ${w[i]}`);
  });
}

type LossName = 'bceWithLogits' | 'bce' | 'mse' | 'crossEntropy';

function lossOf(name: LossName, output: Tensor, target: NestedArray): Tensor {
  switch (name) {
    case 'bceWithLogits': return binaryCrossEntropyWithLogits(output, tensor(target));
    case 'bce': return binaryCrossEntropy(output, tensor(target));
    case 'mse': return mseLoss(output, tensor(target));
    case 'crossEntropy': return crossEntropy(output, tensor(target, { dtype: 'int32' }));
  }
}

interface Layer { weight: NestedArray; bias: NestedArray; dweight: NestedArray; dbias: NestedArray }
interface MlpCase { sizes: number[]; activation: 'tanh' | 'relu' | 'sigmoid'; loss: LossName; x: NestedArray; target: NestedArray; output: NestedArray; value: number; layers: Layer[] }

describe('mlp.json: MLP outputs, losses and every weight and bias gradient match PyTorch', () => {
  (mlp.cases as MlpCase[]).forEach((c) => {
    it(`${c.sizes.join('-')} ${c.activation} ${c.loss}`, () => {
      const act = { tanh: Tanh, relu: ReLU, sigmoid: Sigmoid }[c.activation];
      const modules: Module[] = [];
      c.sizes.slice(1).forEach((out, i) => {
        modules.push(new Linear(c.sizes[i]!, out));
        if (i < c.sizes.length - 2) modules.push(new act());
      });
      const model = new Sequential(...modules);
      // PyTorch's weights, by PyTorch's key names.
      const dict = new Map<string, Tensor>();
      c.layers.forEach((layer, i) => {
        dict.set(`${2 * i}.weight`, tensor(layer.weight));
        dict.set(`${2 * i}.bias`, tensor(layer.bias));
      });
      model.loadStateDict(dict);
      const output = model.forward(tensor(c.x));
      expectClose(output, c.output, 'output');
      const loss = lossOf(c.loss, output, c.target);
      expectClose(loss.item(), c.value, 'loss');
      loss.backward();
      const params = new Map(model.namedParameters());
      c.layers.forEach((layer, i) => {
        expectClose(params.get(`${2 * i}.weight`)!.grad!, layer.dweight, `${2 * i}.weight.grad`);
        expectClose(params.get(`${2 * i}.bias`)!.grad!, layer.dbias, `${2 * i}.bias.grad`);
      });
    });
  });
});

interface LossCase { loss: LossName; input: NestedArray; target: NestedArray; value: number; dinput: NestedArray }

describe('losses.json: loss values and input gradients match PyTorch', () => {
  (losses.cases as LossCase[]).forEach((c) => {
    it(c.loss, () => {
      const input = tensor(c.input, { requiresGrad: true });
      const loss = lossOf(c.loss, input, c.target);
      expectClose(loss.item(), c.value, 'value');
      loss.backward();
      expectClose(input.grad!, c.dinput, 'dinput');
    });
  });
});
