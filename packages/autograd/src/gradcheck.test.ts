// gradcheck on compositions of ops (every op alone: op-table.test.ts), on random inputs (float64, reference backend).
import { describe, expect, it } from 'vitest';
import { concat, gradcheck, nllLoss, seededRandom, stack, tensor, where, type NestedArray, type Tensor } from './index';
import { randomNested } from './testing';

const random = seededRandom(2024);

const rand = (shape: number[], lo?: number, hi?: number, avoid?: number): NestedArray => randomNested(random, shape, lo, hi, avoid);

const cases: [string, (...xs: Tensor[]) => Tensor, NestedArray[]][] = [
  ['add (column and outer broadcast)', (a, b) => a.add(b), [rand([3, 1]), rand([1, 4])]],
  ['scalar add, sub, mul, div', (a) => a.add(2).sub(0.5).mul(-3).div(1.5), [rand([5])]],
  ['matmul 1-D . 2-D and 2-D . 1-D', (a, b, c) => a.matmul(b).matmul(c), [rand([4]), rand([4, 3]), rand([3])]],
  ['sum (all, axis 0, axis -1 keepDims)', (a) => a.sum().add(a.sum(0).sum()).add(a.sum(-1, true).square().sum()), [rand([3, 4])]],
  ['mean (all, axis 1)', (a) => a.mean().add(a.mean(1).square().sum()), [rand([3, 4])]],
  ['max (all, axis 0, axis 1)', (a) => a.max().add(a.max(0).sum()).add(a.max(1, true).square().sum()), [rand([3, 4])]],
  ['logSoftmax (last axis, middle axis)', (a) => a.logSoftmax(-1).sum().add(a.reshape([3, 2, 2]).logSoftmax(1).sum()), [rand([3, 4])]],
  ['reshape', (a) => a.reshape([2, -1]).mul(a.reshape([6, 2]).transpose().reshape([2, 6])), [rand([3, 4])]],
  ['concat (axis 0, axis 1)', (a, b) => concat([a, b], 0).sum().add(concat([a, a.mul(2), b.slice(0, 3)], 1).square().sum()), [rand([3, 2]), rand([4, 2])]],
  ['stack (axis 0, axis 1)', (a, b) => stack([a, b], 0).square().sum().add(stack([a, b], 1).exp().sum()), [rand([3, 2]), rand([3, 2])]],
  ['nllLoss of logSoftmax', (x) => nllLoss(x.logSoftmax(1), tensor([1, 0, 3], { dtype: 'int32' })), [rand([3, 4], -3, 3)]],
  ['permute, transpose of any two axes (views), then a kernel', (a) => a.permute([2, 0, 1]).transpose(0, 2).exp().mul(a.permute([1, 0, 2]).contiguous()), [rand([2, 3, 4])]],
  ['expand (stride 0) and narrow, as views', (a, b) => a.expand([3, 2, 4]).mul(b.narrow(1, 1, 2).narrow(0, 0, 3).unsqueeze(1)), [rand([2, 4]), rand([4, 5, 4])]],
  ['unsqueeze, squeeze, flatten of a view', (a) => a.transpose().unsqueeze(0).squeeze().flatten().square(), [rand([3, 4])]],
  ['matmul: batched with broadcast batch axes, 1-D operands, transposed views', (a, b, v) => a.matmul(b).sum(0).matmul(v).sum().add(v.matmul(b.transpose(-2, -1).sum(0)).sum()), [rand([2, 1, 3, 4]), rand([3, 4, 3]), rand([3])]],
  ['sum and mean over lists of axes, keepDims', (a) => a.sum([0, 2]).add(a.mean([1, 2], true).sum()).add(a.sum(-1, true).mean([0, 1])), [rand([2, 3, 4])]],
  ['max and min over several axes, ties split', (a) => a.max([0, 2]).add(a.min([1, 2], true).sum()), [rand([2, 3, 4])]],
  ['where, with a number branch', (a, b) => where(a.gt(0), a.mul(b), 2).add(where(b.lt(0.5), 0, a.exp())), [rand([3, 4]), rand([4])]],
  ['an MLP: tanh(x W1^T + b1) W2^T + b2', (x, w1, b1, w2, b2) => x.matmul(w1.transpose()).add(b1).tanh().matmul(w2.transpose()).add(b2), [rand([4, 3]), rand([5, 3]), rand([5]), rand([2, 5]), rand([2])]],
];

describe('gradcheck: backward agrees with central differences through compositions of ops', () => {
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
