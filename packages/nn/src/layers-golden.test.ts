// Every case of layers.json (PyTorch 1.13, float64): each layer loaded with PyTorch's state dict, its output, the
// gradients of its input and parameters, and its state after the forward (running statistics), through the
// float32 kernels; and a whole LeNet: logits, loss and every parameter gradient.
import { tensor, type NestedArray, type Tensor } from '@backprop/autograd';
import { describe, expect, it } from 'vitest';
import layers from './__fixtures__/layers.json';
import {
  AvgPool2d, BatchNorm1d, BatchNorm2d, Conv2d, crossEntropy, Embedding, Flatten, LayerNorm, Linear, MaxPool2d, ReLU, Sequential, type Module,
} from './index';

function flat(v: NestedArray | number): number[] {
  return Array.isArray(v) ? v.flatMap(flat) : [v];
}

/** layers.json's tolerance: |got - want| <= 1e-5 max(1, max |want|) + 1e-4 |want|. */
function expectNear(got: Tensor | number, want: NestedArray | number, label: string): void {
  const w = flat(want);
  const g = typeof got === 'number' ? [got] : Array.from(got.values());
  expect(g.length, `${label}: size`).toBe(w.length);
  const scale = Math.max(1, ...w.map(Math.abs));
  g.forEach((v, i) => {
    if (!(Math.abs(v - w[i]!) <= 1e-5 * scale + 1e-4 * Math.abs(w[i]!))) expect.fail(`${label}: element ${i} is ${v}, want ${w[i]}`);
  });
}

/** A PyTorch state dict from the fixture: integers (num_batches_tracked) as int32 tensors. */
function stateOf(state: Record<string, NestedArray | number>): Map<string, Tensor> {
  return new Map(Object.entries(state).map(([k, v]) => [k, tensor(v, Number.isInteger(v) && k === 'num_batches_tracked' ? { dtype: 'int32' } : {})]));
}

type Options = Record<string, unknown>;
const build: Record<string, (o: Options) => Module> = {
  Conv2d: ({ inChannels, outChannels, kernelSize, ...rest }) => new Conv2d(inChannels as number, outChannels as number, kernelSize as number, rest),
  MaxPool2d: ({ kernelSize, ...rest }) => new MaxPool2d(kernelSize as number, rest),
  AvgPool2d: ({ kernelSize, ...rest }) => new AvgPool2d(kernelSize as number, rest),
  BatchNorm1d: ({ numFeatures, ...rest }) => new BatchNorm1d(numFeatures as number, rest),
  BatchNorm2d: ({ numFeatures, ...rest }) => new BatchNorm2d(numFeatures as number, rest),
  LayerNorm: ({ normalizedShape, ...rest }) => new LayerNorm(normalizedShape as number[], rest),
  Embedding: ({ numEmbeddings, embeddingDim }) => new Embedding(numEmbeddings as number, embeddingDim as number),
};

interface LayerCase {
  layer: string;
  options: Options;
  train: boolean;
  state: Record<string, NestedArray | number>;
  x: NestedArray;
  upstream: NestedArray;
  y: NestedArray;
  dx: NestedArray | null;
  grads: Record<string, NestedArray>;
  stateAfter: Record<string, NestedArray | number>;
}

describe('layers.json: every layer matches PyTorch (output, input and parameter gradients, state after the forward)', () => {
  for (const c of layers.cases as LayerCase[]) {
    it(`${c.layer}(${JSON.stringify(c.options)}) in ${c.train ? 'training' : 'eval'} mode`, () => {
      const layer = build[c.layer]!(c.options);
      layer.loadStateDict(stateOf(c.state));
      layer.train(c.train);
      const x = c.layer === 'Embedding' ? tensor(c.x, { dtype: 'int32' }) : tensor(c.x, { requiresGrad: true });
      const y = layer.forward(x);
      expectNear(y, c.y, 'y');
      y.mul(tensor(c.upstream)).sum().backward();
      if (c.dx) expectNear(x.grad!, c.dx, 'dx');
      const params = new Map(layer.namedParameters());
      expect([...params.keys()].sort()).toEqual(Object.keys(c.grads).sort());
      for (const [name, want] of Object.entries(c.grads)) expectNear(params.get(name)!.grad!, want, `${name}.grad`);
      const after = layer.stateDict();
      expect([...after.keys()]).toEqual(Object.keys(c.stateAfter));
      for (const [name, want] of Object.entries(c.stateAfter)) {
        if (name === 'num_batches_tracked') expect(after.get(name)!.item()).toBe(want);
        else expectNear(after.get(name)!, want, name);
      }
    });
  }

  it('a LeNet (conv-relu-pool x2, three Linear) gives PyTorch\'s logits, cross-entropy and every parameter gradient', () => {
    const { cnn } = layers;
    expect(cnn.architecture).toBe('Conv2d(1,6,5,padding=2) ReLU MaxPool2d(2) Conv2d(6,16,5) ReLU MaxPool2d(2) Flatten Linear(400,120) ReLU Linear(120,84) ReLU Linear(84,10)');
    const model = new Sequential(
      new Conv2d(1, 6, 5, { padding: 2 }), new ReLU(), new MaxPool2d(2),
      new Conv2d(6, 16, 5), new ReLU(), new MaxPool2d(2),
      new Flatten(), new Linear(400, 120), new ReLU(), new Linear(120, 84), new ReLU(), new Linear(84, 10),
    );
    model.loadStateDict(stateOf(cnn.state));
    const logits = model.forward(tensor(cnn.x));
    expectNear(logits, cnn.logits, 'logits');
    const loss = crossEntropy(logits, tensor(cnn.labels, { dtype: 'int32' }));
    expectNear(loss.item(), cnn.loss, 'loss');
    loss.backward();
    const params = new Map(model.namedParameters());
    for (const [name, want] of Object.entries(cnn.grads as Record<string, NestedArray>)) expectNear(params.get(name)!.grad!, want, `${name}.grad`);
  });
});
