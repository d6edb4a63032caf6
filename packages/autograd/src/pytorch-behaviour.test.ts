// Each case of __fixtures__/pytorch-behaviour.json (made by tools/fixtures/pytorch_behaviour.py) run by name in
// backprop: the same values, dtypes and gradients where PyTorch computes, an error where PyTorch raises.
import { describe, expect, it } from 'vitest';
import fixture from './__fixtures__/pytorch-behaviour.json';
import {
  adaptiveAvgPool2d, avgPool2d, binaryCrossEntropy, binaryCrossEntropyWithLogits, conv2d, crossEntropy, linear, maximum, maxPool2d, mseLoss, nllLoss, noGrad, ones, prelu, tensor, zeros,
  type CrossEntropyExtras, type Tensor,
} from './index';

type Result = { value?: Tensor; grad?: Tensor | null; targetGrad?: Tensor | null };
type Case = () => Result;

const I = (data: number[] | number[][]): Tensor => tensor(data, { dtype: 'int32' });
const F = (data: number[] | number[][], requiresGrad = false): Tensor => tensor(data, { requiresGrad });
const A = [[1, 2], [3, 4]];
const B = [[0.5, 1.5], [2.5, 3.5]];
const value = (f: () => Tensor): Case => () => ({ value: f() });
/** sin(0), sin(1), ... in `shape`, as the fixture's torch.sin(torch.arange(n)).reshape(shape). */
const sines = (shape: number[], requiresGrad = false): Tensor => {
  const size = shape.reduce((a, b) => a * b, 1);
  return tensor(Array.from({ length: size }, (_, i) => Math.sin(i)), { shape, requiresGrad });
};

/** x.grad after backward from loss(x). */
function gradOf(x: Tensor, loss: () => Tensor): Result {
  loss().backward();
  return { grad: x.grad };
}

/** conv2d with padding 'same' on sines, its output weighted by sines: the value and both gradients. */
function convSame(kernel: [number, number], dilation: number | [number, number]): Result {
  const x = sines([2, 2, 5, 6], true);
  const w = tensor(Array.from({ length: 3 * 2 * kernel[0] * kernel[1] }, (_, i) => Math.cos(i)), { shape: [3, 2, ...kernel], requiresGrad: true });
  const y = conv2d(x, w, null, { padding: 'same', dilation });
  y.mul(sines([...y.shape])).sum().backward();
  return { value: y, grad: x.grad, targetGrad: w.grad };
}

/** A pool of sines of `shape`, its output weighted by sines: the value and the input's gradient. */
function pooled(pool: (x: Tensor) => Tensor, shape: number[]): Result {
  const x = sines(shape, true);
  const y = pool(x);
  y.mul(sines([...y.shape])).sum().backward();
  return { value: y, grad: x.grad };
}

/** crossEntropy of sines [4, 3] (or [2, 3, 2]) against labels with one ignored; its value and the logits' gradient. */
function weightedCrossEntropy(reduction: 'mean' | 'sum' | 'none', extras: CrossEntropyExtras, spatial = false): Result {
  const x = sines(spatial ? [2, 3, 2] : [4, 3], true);
  const loss = crossEntropy(x, spatial ? I([[2, -100], [0, 1]]) : I([2, -100, 0, 1]), reduction, -100, extras);
  loss.sum().backward();
  return { value: loss, grad: x.grad };
}

const cases: Record<string, Case> = {
  'pow 0 at x = 0: gradient 0': () => {
    const x = F([0, 1, -2], true);
    return gradOf(x, () => x.pow(0).sum());
  },
  'relu then pow 0: gradient 0 where relu is exactly 0': () => {
    const x = F([-1, 0, 2], true);
    return gradOf(x, () => x.relu().pow(0).sum());
  },
  'maximum(x, 0) then pow 0': () => {
    const x = F([-1, 0, 2], true);
    return gradOf(x, () => maximum(x, 0).pow(0).sum());
  },
  'std of a constant row: gradient 0 there, not NaN': () => {
    const x = F([[1, 1, 1], [1, 2, 4]], true);
    return { value: x.std(1), ...gradOf(x, () => x.std(1).mul(F([0.5, 2])).sum()) };
  },
  'std with correction 0 over an axis of one element: value 0, gradient 0': () => {
    const x = F([[3], [-1]], true);
    return gradOf(x, () => x.std(1, { correction: 0, keepDims: true }).sum());
  },
  'maximum and minimum with a NaN: both sides take the gradient': () => {
    const [a, b] = [F([1, Number.NaN, 3, 2], true), F([Number.NaN, 2, 1, 2], true)];
    maximum(a, b).mul(F([1, 2, 3, 4])).add(a.minimum(b).mul(F([10, 20, 30, 40]))).sum().backward();
    return { grad: a.grad, targetGrad: b.grad };
  },
  'linear with zero input features gives the bias': value(() => linear(zeros([3, 0]), zeros([2, 0]), F([1, 2]))),
  'linear with zero input features and no bias gives zeros': value(() => linear(zeros([3, 0]), zeros([2, 0]))),
  'add_ of a larger, non-broadcastable tensor': value(() => zeros([3]).add_(tensor([[1, 1, 1], [1, 1, 1]]))),
  'add_ of a broadcastable tensor': value(() => zeros([2, 3]).add_(F([1, 2, 3]), 2)),
  'copy_ between shapes of the same size': value(() => zeros([2, 3]).copy_(tensor([[1, 1], [1, 1], [1, 1]]))),
  'copy_ from a broadcastable source': value(() => zeros([2, 3]).copy_(F([1, 2, 3]))),
  'copy_ float32 into int32 truncates': value(() => zeros([2], { dtype: 'int32' }).copy_(F([1.7, -2.7]))),
  'add_ of float32 into int32': value(() => zeros([2], { dtype: 'int32' }).add_(F([1.5, 2.5]))),
  'a saved tensor changed in place: backward refuses': () => {
    const [x, c] = [F([1, 2], true), F([3, 4])];
    const y = x.mul(c);
    c.add_(1);
    return gradOf(x, () => y.sum());
  },
  'an op output that backward saved, changed in place': () => {
    const x = F([1, 2], true);
    const y = x.exp();
    y.add_(1);
    return gradOf(x, () => y.sum());
  },
  'add_ on an op output is recorded': () => {
    const x = F([1, 2], true);
    const y = x.mul(2);
    y.add_(F([10, 20]));
    y.sum().backward();
    return { value: y, grad: x.grad };
  },
  'mul_ after a use: the earlier use keeps its gradient': () => {
    const x = F([1, 2], true);
    const w = x.mul(2);
    const s = w.sum();
    w.mul_(3);
    return gradOf(x, () => s.add(w.sum()));
  },
  'fill_ on an op output: zero gradient to what it replaced': () => {
    const x = F([1, 2], true);
    const y = x.mul(2);
    y.fill_(1);
    return gradOf(x, () => y.sum());
  },
  'copy_ of a tensor that requires grad into a plain one': () => {
    const w = F([1, 2, 3], true);
    const t = zeros([2, 3]);
    t.copy_(w);
    t.mul(t).sum().backward();
    return { value: t, grad: w.grad };
  },
  'an in-place change to a leaf that requires grad': value(() => F([1, 2], true).add_(1)),
  'an optimiser-style update between forward and backward': () => {
    const w = F([1, 2], true);
    const loss = w.mul(w).sum();
    noGrad(() => w.sub_(0.1));
    return gradOf(w, () => loss);
  },
  'binaryCrossEntropy of an input above 1': value(() => binaryCrossEntropy(F([0.5, 1.5]), F([1, 0]))),
  'binaryCrossEntropy of NaN': value(() => binaryCrossEntropy(F([Number.NaN]), F([1]))),
  'indexSelect with a negative index': value(() => zeros([3, 2]).indexSelect([-1])),
  'prelu with per-channel slopes on a 1-D input': value(() => prelu(F([1, -2, 3]), F([0.1, 0.2, 0.3]))),
  'prelu with one slope on a 1-D input': value(() => prelu(F([1, -2, 3]), F([0.25]))),
  'binaryCrossEntropy with a differently shaped target': value(() => binaryCrossEntropy(F([[0.1], [0.2]]), F([1, 0]))),
  'binaryCrossEntropyWithLogits with a differently shaped target': value(() => binaryCrossEntropyWithLogits(F([[0.1], [0.2]]), F([1, 0]))),
  'unbatched crossEntropy': () => {
    const x = F([1, 2, 3], true);
    const loss = crossEntropy(x, tensor(2, { dtype: 'int32' }));
    loss.backward();
    return { value: loss, grad: x.grad };
  },
  'unbatched crossEntropy without reduction': value(() => crossEntropy(F([1, 2, 3]), tensor(0, { dtype: 'int32' }), 'none')),
  'crossEntropy per pixel: logits [n, classes, h, w], labels [n, h, w], one ignored': () => {
    const x = sines([2, 3, 2, 2], true);
    const loss = crossEntropy(x, tensor([[[0, 2], [1, -100]], [[2, 2], [0, 1]]], { dtype: 'int32' }));
    loss.backward();
    return { value: loss, grad: x.grad };
  },
  'crossEntropy per time step without reduction: logits [n, classes, steps]': value(() => crossEntropy(sines([2, 2, 3]), I([[0, 1, 1], [1, 0, 0]]), 'none')),
  'nllLoss per time step, summed': () => {
    const x = sines([2, 2, 3], true);
    const loss = nllLoss(x, I([[0, 1, 1], [1, 0, 0]]), 'sum');
    loss.backward();
    return { value: loss, grad: x.grad };
  },
  "crossEntropy with labels that do not match the logits' positions": value(() => crossEntropy(zeros([2, 3, 4]), zeros([2, 5], { dtype: 'int32' }))),
  "conv2d padding 'same', 3x3 window: the output keeps 5x6": () => convSame([3, 3], 1),
  "conv2d padding 'same', 4x2 window, dilation [1, 2]: the odd row and column go at the bottom and right": () => convSame([4, 2], [1, 2]),
  "conv2d padding 'valid' is no padding": value(() => conv2d(sines([1, 1, 4, 4]), ones([1, 1, 3, 3]), null, { padding: 'valid' })),
  "conv2d padding 'same' with stride 2": value(() => conv2d(zeros([1, 1, 4, 4]), ones([1, 1, 3, 3]), null, { padding: 'same', stride: 2 })),
  'maxPool2d ceilMode: a last row of windows past the bottom edge': () => pooled((x) => maxPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true }), [2, 2, 8, 7]),
  'maxPool2d ceilMode with dilation 2 and stride 3: two columns past the right edge': () => pooled((x) => maxPool2d(x, 2, { stride: 3, dilation: 2, ceilMode: true }), [1, 2, 9, 10]),
  'maxPool2d ceilMode: a window that would start in the bottom padding is dropped': () => pooled((x) => maxPool2d(x, 2, { stride: 4, padding: 1, ceilMode: true }), [1, 1, 5, 5]),
  'avgPool2d ceilMode counting padding: the part past the padded input is not counted': () => pooled((x) => avgPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true }), [2, 2, 8, 7]),
  'avgPool2d ceilMode without padding counted': () => pooled((x) => avgPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }), [2, 2, 8, 7]),
  'avgPool2d ceilMode, 2x2 windows on 5x5': () => pooled((x) => avgPool2d(x, 2, { ceilMode: true }), [1, 1, 5, 5]),
  'adaptiveAvgPool2d 8x6 to 4x3: windows of one size': () => pooled((x) => adaptiveAvgPool2d(x, [4, 3]), [2, 3, 8, 6]),
  'adaptiveAvgPool2d 7x5 to 3x2: windows of two sizes, overlapping': () => pooled((x) => adaptiveAvgPool2d(x, [3, 2]), [2, 2, 7, 5]),
  'adaptiveAvgPool2d 2x3 to 4x5: more windows than rows and columns': () => pooled((x) => adaptiveAvgPool2d(x, [4, 5]), [1, 2, 2, 3]),
  'adaptiveAvgPool2d [None, 2] keeps the height': () => pooled((x) => adaptiveAvgPool2d(x, [null, 2]), [1, 2, 5, 7]),
  'adaptiveAvgPool2d 1: global average pooling': () => pooled((x) => adaptiveAvgPool2d(x, 1), [3, 2, 5, 7]),
  'crossEntropy with class weights, mean over the weights of the counted rows': () => weightedCrossEntropy('mean', { weight: F([0.5, 2, 1.5]) }),
  'crossEntropy with label smoothing 0.2, one row ignored': () => weightedCrossEntropy('mean', { labelSmoothing: 0.2 }),
  'crossEntropy with class weights and label smoothing, summed': () => weightedCrossEntropy('sum', { weight: F([0.5, 2, 1.5]), labelSmoothing: 0.1 }),
  'crossEntropy with class weights and label smoothing, per row': () => weightedCrossEntropy('none', { weight: F([0.5, 2, 1.5]), labelSmoothing: 0.3 }),
  'crossEntropy per time step with label smoothing': () => weightedCrossEntropy('mean', { labelSmoothing: 0.25 }, true),
  'crossEntropy with one weight too few': value(() => crossEntropy(zeros([2, 3]), I([0, 1]), 'mean', -100, { weight: F([1, 1]) })),
  'crossEntropy with label smoothing above 1': value(() => crossEntropy(zeros([2, 3]), I([0, 1]), 'mean', -100, { labelSmoothing: 1.5 })),
  'mseLoss on broadcastable shapes': () => {
    const [x, t] = [F([[1], [2]], true), F([1, 2, 4], true)];
    const loss = mseLoss(x, t);
    loss.backward();
    return { value: loss, grad: x.grad, targetGrad: t.grad };
  },
  'a second backward through a graph that saved nothing': () => {
    const x = F([1, 2], true);
    const loss = x.add(1).sum();
    loss.backward();
    return gradOf(x, () => loss);
  },
  'a second backward through a product by a number': () => {
    const x = F([1, 2], true);
    const loss = x.mul(2).sum();
    loss.backward();
    return gradOf(x, () => loss);
  },
  'a second backward through exp': () => {
    const x = F([1, 2], true);
    const loss = x.exp().sum();
    loss.backward();
    return gradOf(x, () => loss);
  },
  'mean of an empty tensor': value(() => zeros([0]).mean()),
  'mean over an empty axis': value(() => zeros([2, 0]).mean(1)),
  'sum over an empty axis': value(() => zeros([2, 0]).sum(1)),
  'max of an empty tensor': value(() => zeros([0]).max()),
  'int32 + int32': value(() => I(A).add(I(A))),
  'int32 - int32': value(() => I(A).sub(I([[4, 3], [2, 1]]))),
  'int32 * int32': value(() => I(A).mul(I(A))),
  'int32 / int32': value(() => I(A).div(I([[2, 2], [2, 2]]))),
  'int32 + float32': value(() => I(A).add(F(B))),
  'float32 * int32': value(() => F(B).mul(I(A))),
  'int32 + 2': value(() => I(A).add(2)),
  'int32 + 2.5': value(() => I(A).add(2.5)),
  'int32 * 3': value(() => I(A).mul(3)),
  'int32 / 2': value(() => I(A).div(2)),
  'maximum of int32': value(() => I(A).maximum(I([[2, 2], [2, 2]]))),
  'maximum of int32 and float32': value(() => I(A).maximum(F(B))),
  "int32 + int32 overflows as two's complement": value(() => I([2 ** 31 - 1]).add(I([1]))),
  'int32 broadcast': value(() => I(A).add(I([10, 20]))),
  'neg int32': value(() => I(A).neg()),
  'abs int32': value(() => I([[-1, 2], [-3, 0]]).abs()),
  'square int32': value(() => I(A).square()),
  'pow int32 2': value(() => I(A).pow(2)),
  'pow int32 0.5': value(() => I(A).pow(0.5)),
  'pow int32 -1': value(() => I(A).pow(-1)),
  'exp int32': value(() => I(A).exp()),
  'log int32': value(() => I(A).log()),
  'sqrt int32': value(() => I(A).sqrt()),
  'sigmoid int32': value(() => I(A).sigmoid()),
  'tanh int32': value(() => I(A).tanh()),
  'relu int32': value(() => I([[-1, 2], [3, -4]]).relu()),
  'leakyRelu int32': value(() => I(A).leakyRelu()),
  'elu int32': value(() => I(A).elu()),
  'softplus int32': value(() => I(A).softplus()),
  'sum int32': value(() => I(A).sum()),
  'sum int32 axis 0': value(() => I(A).sum(0)),
  'sum int32 axis 1 keepDims': value(() => I(A).sum(1, true)),
  'mean int32': value(() => I(A).mean()),
  'max int32': value(() => I(A).max()),
  'max int32 axis 0': value(() => I(A).max(0)),
  'matmul int32': value(() => I(A).matmul(I(A))),
  'matmul int32 by 1-D': value(() => I(A).matmul(I([1, -1]))),
  'matmul int32 and float32': value(() => I(A).matmul(F(B))),
  'transpose int32': value(() => I([[1, 2, 3], [4, 5, 6]]).transpose()),
  'argmax int32': value(() => I([[1, 5, 5], [7, 0, 7]]).argmax(1)),
  'softmax int32': value(() => I(A).softmax(1)),
  'int32 == float32': value(() => I(A).eq(F([[1, 2.5], [3, 4.5]]))),
  'int32 < 2.5': value(() => I(A).lt(2.5)),
  'int32 >= int32': value(() => I(A).ge(I([[2, 2], [2, 2]]))),
  'tensor of 1.5 and -1.7 as int32 truncates': value(() => tensor([1.5, -1.7], { dtype: 'int32' })),
  'tensor of 3e9 as int32': value(() => tensor([3e9], { dtype: 'int32' })),
  'tensor of NaN as int32': value(() => tensor([Number.NaN], { dtype: 'int32' })),
};

interface Encoded { shape: number[]; dtype: string; values: (number | null)[] }
type Expected = { error: string } | Record<string, Encoded | null>;
const raises = (want: Expected): want is { error: string } => typeof want.error === 'string';

/** PyTorch's dtypes as backprop's: int64 results (sums, argmax) are int32 here, booleans float32 0/1. */
const asBackprop: Record<string, string> = { float32: 'float32', int32: 'int32', int64: 'int32', bool: 'float32' };

describe('PyTorch 1.13 behaviour, case by case (tools/fixtures/pytorch_behaviour.py)', () => {
  it('has a backprop version of every case and no others', () => {
    expect(Object.keys(cases).sort()).toEqual(Object.keys(fixture.cases).sort());
  });

  for (const [name, want] of Object.entries(fixture.cases as Record<string, Expected>)) {
    it(name, () => {
      const run = cases[name]!;
      if (raises(want)) {
        expect(run, `PyTorch raised ${want.error}`).toThrow();
        return;
      }
      const got = run();
      for (const [key, expected] of Object.entries(want)) {
        const t = got[key as keyof Result];
        if (expected === null) {
          expect(t ?? null, key).toBeNull();
          continue;
        }
        expect(t, key).toBeTruthy();
        expect([...t!.shape], `${key} shape`).toEqual(expected.shape);
        expect(t!.dtype, `${key} dtype`).toBe(asBackprop[expected.dtype]);
        Array.from(t!.values()).forEach((v, i) => {
          const w = expected.values[i];
          if (w === null || w === undefined) expect(v, `${key}[${i}]`).toBeNaN();
          else expect(Math.abs(v - w), `${key}[${i}] is ${v}, PyTorch ${w}`).toBeLessThanOrEqual(1e-6 + 1e-6 * Math.abs(w));
        });
      }
    });
  }
});
