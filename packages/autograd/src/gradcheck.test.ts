// gradcheck on every differentiable op, on random inputs (float64, reference backend).
import { describe, expect, it } from 'vitest';
import {
  binaryCrossEntropy, binaryCrossEntropyWithLogits, concat, crossEntropy, gradcheck, linear, mseLoss, nllLoss, pad, scatterAdd, seededRandom, stack, tensor, where,
  type NestedArray, type Tensor,
} from './index';

const random = seededRandom(2024);

/** Random nested array of `shape` with values in [lo, hi), kept `gap` away from `avoid` (kinks, poles). */
function rand(shape: number[], lo = -2, hi = 2, avoid?: number, gap = 0.05): NestedArray {
  if (shape.length === 0) {
    let v: number;
    do v = lo + (hi - lo) * random();
    while (avoid !== undefined && Math.abs(v - avoid) < gap);
    return v;
  }
  return Array.from({ length: shape[0]! }, () => rand(shape.slice(1), lo, hi, avoid, gap));
}

const cases: [string, (...xs: Tensor[]) => Tensor, NestedArray[]][] = [
  ['add (same shape)', (a, b) => a.add(b), [rand([3, 4]), rand([3, 4])]],
  ['add (row broadcast)', (a, b) => a.add(b), [rand([3, 4]), rand([4])]],
  ['add (column and outer broadcast)', (a, b) => a.add(b), [rand([3, 1]), rand([1, 4])]],
  ['add (rank 3, middle axis broadcast)', (a, b) => a.add(b), [rand([2, 3, 4]), rand([2, 1, 4])]],
  ['sub (broadcast)', (a, b) => a.sub(b), [rand([3, 4]), rand([3, 1])]],
  ['mul (broadcast)', (a, b) => a.mul(b), [rand([2, 3]), rand([3])]],
  ['div (broadcast)', (a, b) => a.div(b), [rand([2, 3]), rand([3], 0.5, 2)]],
  ['scalar add, sub, mul, div', (a) => a.add(2).sub(0.5).mul(-3).div(1.5), [rand([5])]],
  ['maximum', (a, b) => a.maximum(b), [rand([4, 3]), rand([3])]],
  ['minimum with a number', (a) => a.minimum(0.3), [rand([6], -2, 2, 0.3)]],
  ['matmul 2-D', (a, b) => a.matmul(b), [rand([3, 5]), rand([5, 2])]],
  ['matmul 1-D . 2-D and 2-D . 1-D', (a, b, c) => a.matmul(b).matmul(c), [rand([4]), rand([4, 3]), rand([3])]],
  ['neg', (a) => a.neg(), [rand([5])]],
  ['abs', (a) => a.abs(), [rand([6], -2, 2, 0)]],
  ['square', (a) => a.square(), [rand([5])]],
  ['sqrt', (a) => a.sqrt(), [rand([5], 0.2, 3)]],
  ['exp', (a) => a.exp(), [rand([5])]],
  ['log', (a) => a.log(), [rand([5], 0.2, 3)]],
  ['pow 3 and -1.5', (a) => a.pow(3).add(a.pow(-1.5)), [rand([5], 0.3, 2)]],
  ['sigmoid', (a) => a.sigmoid(), [rand([6], -5, 5)]],
  ['tanh', (a) => a.tanh(), [rand([6], -3, 3)]],
  ['relu', (a) => a.relu(), [rand([8], -2, 2, 0)]],
  ['leakyRelu 0.2', (a) => a.leakyRelu(0.2), [rand([8], -2, 2, 0)]],
  ['elu 0.7', (a) => a.elu(0.7), [rand([8], -2, 2, 0)]],
  ['softplus', (a) => a.softplus(), [rand([8], -5, 5)]],
  ['prelu, shared slope', (a, w) => a.prelu(w), [rand([3, 4], -2, 2, 0), [0.25]]],
  ['prelu, per-channel slopes', (a, w) => a.prelu(w), [rand([2, 3, 4], -2, 2, 0), [0.1, 0.2, 0.3]]],
  ['sum (all, axis 0, axis -1 keepDims)', (a) => a.sum().add(a.sum(0).sum()).add(a.sum(-1, true).square().sum()), [rand([3, 4])]],
  ['mean (all, axis 1)', (a) => a.mean().add(a.mean(1).square().sum()), [rand([3, 4])]],
  ['max (all, axis 0, axis 1)', (a) => a.max().add(a.max(0).sum()).add(a.max(1, true).square().sum()), [rand([3, 4])]],
  ['softmax (last axis, first axis)', (a) => a.softmax(-1).add(a.softmax(0)), [rand([3, 4])]],
  ['logSoftmax (last axis, middle axis)', (a) => a.logSoftmax(-1).sum().add(a.reshape([3, 2, 2]).logSoftmax(1).sum()), [rand([3, 4])]],
  ['reshape', (a) => a.reshape([2, -1]).mul(a.reshape([6, 2]).transpose().reshape([2, 6])), [rand([3, 4])]],
  ['transpose', (a) => a.transpose(), [rand([3, 5])]],
  ['slice rows', (a) => a.slice(1, 3).square(), [rand([4, 3])]],
  ['indexSelect (repeated indices)', (a) => a.indexSelect([2, 0, 2, 3]).square(), [rand([4, 3])]],
  ['concat (axis 0, axis 1)', (a, b) => concat([a, b], 0).sum().add(concat([a, a.mul(2), b.slice(0, 3)], 1).square().sum()), [rand([3, 2]), rand([4, 2])]],
  ['stack (axis 0, axis 1)', (a, b) => stack([a, b], 0).square().sum().add(stack([a, b], 1).exp().sum()), [rand([3, 2]), rand([3, 2])]],
  ['binaryCrossEntropy', (p, t) => binaryCrossEntropy(p, t), [rand([6], 0.05, 0.95), [0, 1, 1, 0, 1, 0]]],
  ['binaryCrossEntropyWithLogits (sum)', (x, t) => binaryCrossEntropyWithLogits(x, t, 'sum'), [rand([6], -4, 4), [0, 1, 1, 0, 1, 0]]],
  ['mseLoss (none), input and target', (x, t) => mseLoss(x, t, 'none'), [rand([5]), rand([5])]],
  ['crossEntropy', (x) => crossEntropy(x, tensor([2, 0, 1, 2], { dtype: 'int32' })), [rand([4, 3], -3, 3)]],
  ['crossEntropy (sum, ignoreIndex)', (x) => crossEntropy(x, tensor([2, -100, 1], { dtype: 'int32' }), 'sum'), [rand([3, 4], -3, 3)]],
  ['nllLoss of logSoftmax', (x) => nllLoss(x.logSoftmax(1), tensor([1, 0, 3], { dtype: 'int32' })), [rand([3, 4], -3, 3)]],
  ['permute, transpose of any two axes (views), then a kernel', (a) => a.permute([2, 0, 1]).transpose(0, 2).exp().mul(a.permute([1, 0, 2]).contiguous()), [rand([2, 3, 4])]],
  ['expand (stride 0) and narrow, as views', (a, b) => a.expand([3, 2, 4]).mul(b.narrow(1, 1, 2).narrow(0, 0, 3).unsqueeze(1)), [rand([2, 4]), rand([4, 5, 4])]],
  ['unsqueeze, squeeze, flatten of a view', (a) => a.transpose().unsqueeze(0).squeeze().flatten().square(), [rand([3, 4])]],
  ['matmul: batched with broadcast batch axes, 1-D operands, transposed views', (a, b, v) => a.matmul(b).sum(0).matmul(v).sum().add(v.matmul(b.transpose(-2, -1).sum(0)).sum()), [rand([2, 1, 3, 4]), rand([3, 4, 3]), rand([3])]],
  ['sum and mean over lists of axes, keepDims', (a) => a.sum([0, 2]).add(a.mean([1, 2], true).sum()).add(a.sum(-1, true).mean([0, 1])), [rand([2, 3, 4])]],
  ['max and min over several axes, ties split', (a) => a.max([0, 2]).add(a.min([1, 2], true).sum()), [rand([2, 3, 4])]],
  ['var and std with correction', (a) => a.var([1]).add(a.std([0, 1], { correction: 0, keepDims: true }).sum()), [rand([3, 5])]],
  ['where, with a number branch', (a, b) => where(a.gt(0), a.mul(b), 2).add(where(b.lt(0.5), 0, a.exp())), [rand([3, 4]), rand([4])]],
  ['pad (a constant, and a crop)', (a) => pad(a, [1, 2, -1, 1], { value: 0.5 }).square(), [rand([2, 3, 4])]],
  ['gather', (a, s) => a.gather(1, tensor([[0, 2], [1, 1], [3, 0]], { dtype: 'int32' })).mul(s), [rand([3, 4]), rand([3, 2])]],
  ['scatterAdd (repeated positions, a smaller index)', (a, s) => scatterAdd(a, 0, tensor([[2, 0, 1], [2, 2, 0]], { dtype: 'int32' }), s).square(), [rand([3, 4]), rand([2, 4])]],
  ['an MLP: tanh(x W1^T + b1) W2^T + b2', (x, w1, b1, w2, b2) => x.matmul(w1.transpose()).add(b1).tanh().matmul(w2.transpose()).add(b2), [rand([4, 3]), rand([5, 3]), rand([5]), rand([2, 5]), rand([2])]],
];

describe('gradcheck: backward agrees with central differences for every differentiable op', () => {
  for (const [name, fn, inputs] of cases) {
    it(name, () => {
      const result = gradcheck(fn, inputs);
      expect(result.passed, JSON.stringify(result.worst)).toBe(true);
    });
  }

  it('catches a wrong gradient', () => {
    // x * x with the gradient of x * 3 spliced in through a detached, requires-grad-free path fails.
    const result = gradcheck((x) => x.square().add(x.mul(x.detach()).sub(x.square())), [rand([3])]);
    expect(result.passed).toBe(false);
    expect(result.worst!.error).toBeGreaterThan(0.1);
  });
});

describe('gradcheck: linear', () => {
  it('y = x W^T + b, with and without bias, for 2-D and 3-D input', () => {
    expect(gradcheck((x, w, b) => linear(x, w, b), [rand([4, 3]), rand([5, 3]), rand([5])]).passed).toBe(true);
    expect(gradcheck((x, w) => linear(x, w), [rand([2, 2, 3]), rand([4, 3])]).passed).toBe(true);
  });
});
