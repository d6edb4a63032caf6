import { manualSeed, noGrad, ShapeError, tensor, zeros } from '@backprop/autograd';
import { describe, expect, it } from 'vitest';
import { crossEntropy, Dropout, fit, Flatten, init, Linear, mseLoss, PReLU, ReLU, Sequential, Tanh } from './index';

describe('Module', () => {
  it('names parameters as PyTorch does and finds them depth first', () => {
    const model = new Sequential(new Linear(2, 4), new Tanh(), new Linear(4, 1), new PReLU());
    expect(model.namedParameters().map(([name, p]) => `${name} [${p.shape.join(', ')}]`)).toEqual([
      '0.weight [4, 2]', '0.bias [4]', '2.weight [1, 4]', '2.bias [1]', '3.weight [1]',
    ]);
    expect(model.parameters()).toHaveLength(5);
    expect([...model.stateDict().keys()]).toEqual(['0.weight', '0.bias', '2.weight', '2.bias', '3.weight']);
    expect(new Linear(3, 2, { bias: false }).namedParameters().map(([n]) => n)).toEqual(['weight']);
  });

  it("initialises Linear as PyTorch: U(-1/sqrt(in), 1/sqrt(in)), reproducible under manualSeed", () => {
    manualSeed(3);
    const a = new Linear(400, 300);
    manualSeed(3);
    const b = new Linear(400, 300);
    expect(Array.from(a.weight.values())).toEqual(Array.from(b.weight.values()));
    const w = Array.from(a.weight.values());
    const bound = 1 / Math.sqrt(400);
    expect(Math.max(...w)).toBeLessThan(bound);
    expect(Math.min(...w)).toBeGreaterThanOrEqual(-bound);
    const variance = w.reduce((s, v) => s + v * v, 0) / w.length;
    expect(Math.abs(variance - bound ** 2 / 3)).toBeLessThan(5 * (bound ** 2 / 3) * Math.sqrt(0.8 / w.length));
  });

  it('y = x W^T + b with weight [out, in]', () => {
    const layer = new Linear(2, 3);
    layer.loadStateDict({ weight: tensor([[1, 0], [0, 1], [1, 1]]), bias: tensor([0.5, 0, -1]) });
    expect(layer.forward(tensor([[2, 3]])).toArray()).toEqual([[2.5, 3, 4]]);
    expect(() => layer.forward(tensor([[1, 2, 3]]))).toThrow('linear: input [1, 3] does not match weight [3, 2] (expected input [..., 2] and weight [out, in])');
  });

  it('options: an unknown one or one of the wrong type is named, in layers, losses, initialisers and fit', () => {
    expect(() => new Linear(2, 3, { biases: false } as never)).toThrow("Linear: unknown option 'biases' (options: bias)");
    expect(() => new Linear(2, 3, { bias: 'no' } as never)).toThrow("Linear: bias must be a boolean, got the string 'no'");
    expect(() => new PReLU({ numParameters: '3' } as never)).toThrow("PReLU: numParameters must be a number, got the string '3'");
    expect(() => crossEntropy(zeros([2, 3]), tensor([0, 1], { dtype: 'int32' }), { reduce: 'sum' } as never)).toThrow("crossEntropy: unknown option 'reduce' (options: reduction, ignoreIndex, weight, labelSmoothing)");
    expect(() => init.normal_(zeros([2]), { std: '0.1' } as never)).toThrow("normal_: std must be a number, got the string '0.1'");
    expect(() => init.kaimingNormal_(zeros([2, 2]), { nonLinearity: 'relu' } as never)).toThrow("kaimingNormal_: unknown option 'nonLinearity'");
    const model = new Linear(2, 1);
    const opts = { train: { x: zeros([4, 2]), y: zeros([4, 1]) }, loss: mseLoss, optimizer: { zeroGrad() {}, step() {} } };
    expect(() => fit(model, { ...opts, epoch: 3 } as never)).toThrow(/fit: unknown option 'epoch' \(options: train, validation, loss, optimizer, epochs,/);
    expect(() => fit(model, { ...opts, epochs: '3' } as never)).toThrow("fit: epochs must be a number, got the string '3'");
  });

  it('loadStateDict names values that are not tensors (plain arrays, say) and changes nothing', () => {
    const layer = new Linear(2, 1);
    const before = Array.from(layer.weight.values());
    expect(() => layer.loadStateDict({ weight: [[1, 2]], bias: [0] } as never)).toThrow(
      "loadStateDict: every value must be a Tensor: 'weight' is an array; 'bias' is an array (make them tensors with tensor(...))",
    );
    expect(() => layer.loadStateDict(null as never)).toThrow('loadStateDict: the state dict must be a Map or an object of name -> Tensor, got null');
    expect(() => layer.loadStateDict({}, { strickt: false } as never)).toThrow("loadStateDict: unknown option 'strickt' (options: strict)");
    expect(Array.from(layer.weight.values())).toEqual(before);
  });

  it('loadStateDict strictness: names every missing, unexpected and mis-shaped key and changes nothing', () => {
    const model = new Sequential(new Linear(2, 2), new ReLU(), new Linear(2, 1));
    const before = Array.from(model.parameters()[0]!.values());
    const dict = model.stateDict();
    dict.delete('2.bias');
    dict.set('5.weight', zeros([1]));
    dict.set('0.weight', zeros([3, 2]));
    expect(() => model.loadStateDict(dict)).toThrow(ShapeError);
    expect(() => model.loadStateDict(dict)).toThrow("loadStateDict: '0.weight' has shape [3, 2] in the dict but [2, 2] in the model; missing key '2.bias'; unexpected key '5.weight'");
    expect(Array.from(model.parameters()[0]!.values())).toEqual(before);
    dict.set('0.weight', zeros([2, 2]));
    expect(model.loadStateDict(dict, { strict: false })).toEqual({ missingKeys: ['2.bias'], unexpectedKeys: ['5.weight'] });
    expect(Array.from(model.parameters()[0]!.values())).toEqual([0, 0, 0, 0]);
    expect(() => model.loadStateDict({ '0.weight': tensor([[1, 2], [3, 4]], { dtype: 'int32' }) }, { strict: false })).toThrow("'0.weight' is int32 in the dict but float32 in the model");
  });

  it('train() and eval() switch dropout; Dropout scales kept units by 1/(1-p)', () => {
    manualSeed(9);
    const model = new Sequential(new Flatten(), new Dropout(0.25));
    const x = noGrad(() => zeros([100, 2, 50]).add(1));
    const y = Array.from(model.forward(x).values());
    const kept = y.filter((v) => v !== 0);
    expect(new Set(kept)).toEqual(new Set([Math.fround(1 / 0.75)]));
    expect(Math.abs(kept.length / y.length - 0.75)).toBeLessThan(5 * Math.sqrt(0.25 * 0.75 / y.length));
    expect(model.eval().training).toBe(false);
    expect(model.layers[1]!.training).toBe(false);
    expect(Array.from(model.forward(x).values()).every((v) => v === 1)).toBe(true);
    expect(() => new Dropout(1)).toThrow('Dropout: p must be in [0, 1), got 1');
  });
});

describe('buffers', () => {
  it('Standardize keeps mean and std as buffers: in the state dict, not among the parameters', async () => {
    const { Standardize } = await import('./index');
    const model = new Sequential(new Standardize(2), new Linear(2, 1));
    expect(model.parameters()).toHaveLength(2);
    expect([...model.stateDict().keys()]).toEqual(['0.mean', '0.std', '1.weight', '1.bias']);
    model.loadStateDict({ '0.mean': tensor([1, 2]), '0.std': tensor([2, 4]), '1.weight': tensor([[1, 1]]), '1.bias': tensor([0]) });
    expect(model.forward(tensor([[3, 6]])).toArray()).toEqual([[2]]);
  });
});
