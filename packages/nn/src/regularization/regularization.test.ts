import { manualSeed, tensor } from '@backprop/autograd';
import { describe, expect, it } from 'vitest';
import { BatchNorm1d, crossEntropy, evaluate, fit, Linear, penalty, ReLU, Sequential, WeightAveraging, type Module } from '../index';
import { blobs, sgd } from '../training/test-helpers';

const f = Math.fround;

describe('penalty', () => {
  it('is l1 * sum |w| + l2 * sum w^2 over the weights, biases left out unless asked, with its gradient', () => {
    const model = new Sequential(new Linear(2, 2), new ReLU(), new Linear(2, 1));
    const [w1, b1, w2, b2] = model.parameters();
    w1!.detach().copy_(tensor([[1, -2], [3, 0.5]]));
    b1!.detach().copy_(tensor([10, -10]));
    w2!.detach().copy_(tensor([[-1, 4]]));
    b2!.detach().copy_(tensor([7]));
    const p = penalty(model, { l1: 0.1, l2: 0.01 });
    // |w|: 1 + 2 + 3 + 0.5 + 1 + 4 = 11.5; w^2: 1 + 4 + 9 + 0.25 + 1 + 16 = 31.25
    expect(p.item()).toBeCloseTo(0.1 * 11.5 + 0.01 * 31.25, 6);
    p.backward();
    // d/dw: l1 sign(w) + 2 l2 w
    expect(Array.from(w1!.grad!.values()).map((g) => +g.toFixed(6))).toEqual([0.12, -0.14, 0.16, 0.11]);
    expect(Array.from(w2!.grad!.values()).map((g) => +g.toFixed(6))).toEqual([-0.12, 0.18]);
    expect(b1!.grad).toBeNull(); // not penalised
    expect(penalty(model, { l2: 1, includeBiases: true }).item()).toBeCloseTo(31.25 + 100 + 100 + 49, 4);
    expect(penalty(model, {}).item()).toBe(0);
  });

  it('names bad options', () => {
    const model = new Linear(2, 1);
    expect(() => penalty(model, { l2: -1 })).toThrow('penalty: l2 must be a finite number >= 0, got -1');
    expect(() => penalty(model, { l2: '0.1' as never })).toThrow("penalty: l2 must be a number, got the string '0.1'");
    expect(() => penalty(model, { weightDecay: 1 } as never)).toThrow("penalty: unknown option 'weightDecay'");
  });
});

describe('WeightAveraging', () => {
  const weights = (model: Module): number[] => model.parameters().flatMap((p) => Array.from(p.values()));

  it('matches a hand-computed EMA over the steps of fit, and evaluates on the average without losing the model', () => {
    manualSeed(4);
    const model = new Sequential(new Linear(2, 4), new BatchNorm1d(4), new ReLU(), new Linear(4, 3));
    const decay = 0.9;
    const averaging = new WeightAveraging({ decay });
    let want: number[] | undefined;
    const data = blobs(30);
    fit(model, {
      train: data, loss: (o, t) => crossEntropy(o, t), optimizer: sgd(model.parameters(), 0.1), epochs: 2, batchSize: 8, progress: false,
      callbacks: [{ onBatchEnd: (_logs, { model: m }) => {
        const w = weights(m);
        want = want ? want.map((a, i) => f(f(decay * a) + f((1 - decay) * w[i]!))) : w;
      } }, averaging],
    });
    expect(averaging.updates).toBe(8); // 4 batches an epoch
    const averaged = [...averaging.stateDict(model)].filter(([k]) => !k.includes('running') && !k.includes('num_batches')).flatMap(([, t]) => Array.from(t.values()));
    expect(averaged.length).toBe(want!.length);
    averaged.forEach((a, i) => expect(a).toBeCloseTo(want![i]!, 6));
    const own = weights(model);
    expect(own).not.toEqual(averaged);
    const onAverage = averaging.using(model, () => {
      expect(weights(model).map((v, i) => Math.abs(v - averaged[i]!) < 1e-6)).not.toContain(false);
      return evaluate(model, data, { loss: (o, t) => crossEntropy(o, t) }).loss;
    });
    expect(weights(model)).toEqual(own); // put back
    expect(onAverage).not.toBe(evaluate(model, data, { loss: (o, t) => crossEntropy(o, t) }).loss);
    expect(() => averaging.using(model, () => { throw new Error('inside'); })).toThrow('inside');
    expect(weights(model)).toEqual(own); // put back after an error too
  });

  it('names bad use', () => {
    expect(() => new WeightAveraging({ decay: 1.5 })).toThrow('WeightAveraging: decay must be in [0, 1], got 1.5');
    expect(() => new WeightAveraging().stateDict(new Linear(1, 1))).toThrow('WeightAveraging: nothing averaged yet');
  });
});
