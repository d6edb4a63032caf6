// The convolutional and normalisation layers beyond PyTorch's values (layers-golden.test.ts): their state-dict
// keys and shapes, initialisation, modes, and a clear error for every bad input.
import { manualSeed, memory, noGrad, randn, ShapeError, tensor, zeros } from '@backprop/autograd';
import { describe, expect, it } from 'vitest';
import { AdaptiveAvgPool2d, AvgPool2d, batchNorm, BatchNorm1d, BatchNorm2d, Conv2d, conv2d, Embedding, LayerNorm, loadSafetensors, MaxPool2d, saveSafetensors } from './index';

const shapesOf = (m: { stateDict(): Map<string, { shape: readonly number[]; dtype: string }> }) =>
  [...m.stateDict()].map(([k, t]) => `${k} ${t.dtype} [${t.shape.join(', ')}]`);

describe('Conv2d', () => {
  it("has PyTorch's weight layout, keys and default initialisation bound 1/sqrt(fanIn)", () => {
    manualSeed(5);
    const conv = new Conv2d(6, 16, [5, 3], { groups: 2 });
    expect(shapesOf(conv)).toEqual(['weight float32 [16, 3, 5, 3]', 'bias float32 [16]']);
    const bound = 1 / Math.sqrt(3 * 5 * 3);
    const w = Array.from(conv.weight.values());
    expect(Math.max(...w)).toBeLessThan(bound);
    expect(Math.min(...w)).toBeGreaterThanOrEqual(-bound);
    expect(Math.max(...w)).toBeGreaterThan(0.9 * bound);
    expect(new Conv2d(1, 2, 3, { bias: false }).bias).toBeNull();
  });

  it('computes the output size floor((H + 2p - d (k - 1) - 1) / s) + 1 on each axis', () => {
    const conv = new Conv2d(2, 3, [3, 2], { stride: [2, 3], padding: [1, 2], dilation: [2, 1] });
    expect(conv.forward(zeros([4, 2, 11, 10])).shape).toEqual([4, 3, 5, 5]);
  });

  it("padding 'same' keeps the input's size at any window, as PyTorch; 'valid' is no padding", () => {
    for (const [kernel, dilation] of [[3, 1], [4, 1], [[2, 5], [3, 1]]] as const) {
      const conv = new Conv2d(2, 3, kernel as number, { padding: 'same', dilation: dilation as number });
      expect(conv.padding).toBe('same');
      expect(conv.forward(zeros([1, 2, 9, 8])).shape).toEqual([1, 3, 9, 8]);
    }
    expect(new Conv2d(1, 1, 3, { padding: 'valid' }).padding).toEqual([0, 0]);
    expect(() => new Conv2d(1, 1, 3, { padding: 'same', stride: 2 })).toThrow("Conv2d: padding 'same' needs stride 1 (as PyTorch), got stride 2,2");
    expect(() => new Conv2d(1, 1, 3, { padding: 'full' as never })).toThrow("Conv2d: padding must be an integer, a pair [h, w], 'valid' or 'same', got the string 'full'");
  });

  it('is a sliding dot product: a 2x2 kernel of ones sums each window', () => {
    const y = conv2d(tensor([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]]), tensor([[[[1, 1], [1, 1]]]]), tensor([0.5]));
    expect(y.toArray()).toEqual([[[[12.5, 16.5], [24.5, 28.5]]]]);
  });

  it('refuses bad inputs with errors that name the problem', () => {
    const conv = new Conv2d(3, 4, 3);
    expect(() => conv.forward(zeros([3, 8, 8]))).toThrow(/expected a 4-D input \[batch, channels, height, width\], got shape \[3, 8, 8\] \(one image: add the batch axis with x.unsqueeze\(0\)\)/);
    expect(() => conv.forward(zeros([1, 2, 8, 8]))).toThrow(/expects 3 input channels .* has 2/);
    expect(() => conv.forward(zeros([1, 3, 2, 8]))).toThrow(/the 3x3 window \(kernel 3x3, dilation 1,1\) is larger than the padded input 2x8/);
    expect(() => new Conv2d(3, 4, 3, { groups: 2 })).toThrow(/inChannels \(3\) and outChannels \(4\) must both divide by groups \(2\)/);
    expect(() => new Conv2d(3, 4, 3, { stride: 0 })).toThrow(/stride must be at least 1, got 0/);
    expect(() => new Conv2d(3, 4, '3' as never)).toThrow(/kernelSize must be an integer or a pair \[h, w\] of integers, got the string '3'/);
    expect(() => new Conv2d(3, 4, 3, { pading: 1 } as never)).toThrow(/unknown option 'pading'/);
    expect(() => conv2d(zeros([1, 4, 5, 5]), zeros([6, 2, 3, 3]), null, { groups: 3 })).toThrow(/4 input channels and 6 output channels must both divide by groups = 3/);
    expect(() => conv2d(zeros([1, 3, 5, 5]), zeros([2, 3, 3, 3]), zeros([3]))).toThrow(/the bias must have shape \[2\]/);
  });
});

describe('pooling', () => {
  it('MaxPool2d and AvgPool2d default the stride to the window and check the padding', () => {
    const x = tensor([[[[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]]]]);
    expect(new MaxPool2d(2).forward(x).toArray()).toEqual([[[[6, 8], [14, 16]]]]);
    expect(new AvgPool2d(2).forward(x).toArray()).toEqual([[[[3.5, 5.5], [11.5, 13.5]]]]);
    // Windows reaching into the padding: divided by 4 (padding counted) or by the elements inside.
    expect(Array.from(new AvgPool2d(2, { stride: 2, padding: 1 }).forward(x).values()).slice(0, 3)).toEqual([0.25, 1.25, 1]);
    expect(Array.from(new AvgPool2d(2, { stride: 2, padding: 1, countIncludePad: false }).forward(x).values()).slice(0, 3)).toEqual([1, 2.5, 4]);
    expect(() => new MaxPool2d(3, { padding: 2 }).forward(zeros([1, 1, 8, 8]))).toThrow(/padding must be at most half the window, got padding 2,2 for a 3x3 window/);
    expect(() => new MaxPool2d(3).forward(zeros([1, 2, 2]))).toThrow(/expected a 4-D input/);
    expect(() => new AvgPool2d(2, { count_include_pad: false } as never)).toThrow(/unknown option 'count_include_pad'/);
  });

  it('ceilMode keeps the last, partial windows at the bottom and right (PyTorch ceil_mode)', () => {
    const x = tensor(Array.from({ length: 25 }, (_, i) => i + 1), { shape: [1, 1, 5, 5] });
    expect(new MaxPool2d(2).forward(x).shape).toEqual([1, 1, 2, 2]);
    expect(new MaxPool2d(2, { ceilMode: true }).forward(x).toArray()).toEqual([[[[7, 9, 10], [17, 19, 20], [22, 24, 25]]]]);
    // The mean of a partial window is over its part inside the input.
    expect(new AvgPool2d(2, { ceilMode: true }).forward(x).toArray()).toEqual([[[[4, 6, 7.5], [14, 16, 17.5], [21.5, 23.5, 25]]]]);
    expect(() => new MaxPool2d(2, { ceilMode: 'yes' } as never)).toThrow(/MaxPool2d: ceilMode must be a boolean, got the string 'yes'/);
    expect(() => new AvgPool2d(2, { ceil_mode: true } as never)).toThrow(/unknown option 'ceil_mode'/);
  });

  it('AdaptiveAvgPool2d gives outputSize from any input size; 1 is global average pooling', () => {
    const x = tensor(Array.from({ length: 35 }, (_, i) => i), { shape: [1, 1, 7, 5] });
    // Rows 0-2, 2-4, 4-6 (7 rows in 3 windows overlap) by columns 0-2, 2-4.
    expect(new AdaptiveAvgPool2d([3, 2]).forward(x).toArray()).toEqual([[[[6, 8], [16, 18], [26, 28]]]]);
    expect(new AdaptiveAvgPool2d(1).forward(x).toArray()).toEqual([[[[17]]]]);
    expect(new AdaptiveAvgPool2d([null, 1]).forward(x).shape).toEqual([1, 1, 7, 1]);
    expect(new AdaptiveAvgPool2d(2).forward(zeros([4, 3, 9, 16])).shape).toEqual([4, 3, 2, 2]);
    expect(() => new AdaptiveAvgPool2d([2] as never)).toThrow(/adaptiveAvgPool2d: outputSize must be an integer or a pair \[h, w\] of integers, got \[2\]/);
    expect(() => new AdaptiveAvgPool2d([null, -2])).toThrow(/outputSize must be at least 0, got \[1,-2\]/);
    expect(() => new AdaptiveAvgPool2d('7' as never)).toThrow(/got the string '7'/);
    expect(() => new AdaptiveAvgPool2d(2).forward(zeros([3, 9, 16]))).toThrow(/expected a 4-D input .* add the batch axis/);
  });
});

describe('BatchNorm', () => {
  it("has PyTorch's state-dict keys, and they survive safetensors", () => {
    const bn = new BatchNorm2d(3);
    expect(shapesOf(bn)).toEqual([
      'weight float32 [3]', 'bias float32 [3]', 'running_mean float32 [3]', 'running_var float32 [3]', 'num_batches_tracked int32 []',
    ]);
    expect(shapesOf(new BatchNorm1d(4, { affine: false }))).toEqual(['running_mean float32 [4]', 'running_var float32 [4]', 'num_batches_tracked int32 []']);
    expect(shapesOf(new BatchNorm1d(4, { trackRunningStats: false }))).toEqual(['weight float32 [4]', 'bias float32 [4]']);
    bn.forward(randn([4, 3, 2, 2]));
    const copy = new BatchNorm2d(3);
    copy.loadStateDict(loadSafetensors(saveSafetensors(bn.stateDict())));
    expect(copy.num_batches_tracked!.item()).toBe(1);
    expect(Array.from(copy.running_mean!.values())).toEqual(Array.from(bn.running_mean!.values()));
  });

  it('moves the running statistics by momentum, or as a cumulative average with momentum null', () => {
    const x = tensor([[1], [3]]); // one channel: mean 2, unbiased variance 2
    const bn = new BatchNorm1d(1, { momentum: 0.5 });
    bn.forward(x);
    expect([bn.running_mean!.item(), bn.running_var!.item()]).toEqual([1, 1.5]);
    const average = new BatchNorm1d(1, { momentum: null });
    average.forward(x);
    average.forward(tensor([[5], [5]]));
    expect([average.running_mean!.item(), average.running_var!.item(), average.num_batches_tracked!.item()]).toEqual([3.5, 1, 2]);
  });

  it('normalises with the running statistics in eval mode, and changes nothing there', () => {
    const bn = new BatchNorm1d(2).eval();
    noGrad(() => {
      bn.running_mean!.copy_(tensor([1, -1]));
      bn.running_var!.copy_(tensor([4, 0.25]));
    });
    const y = bn.forward(tensor([[3, 0]]));
    expect(Array.from(y.values()).map((v) => Math.round(v * 1e4) / 1e4)).toEqual([1, 2]);
    expect(bn.num_batches_tracked!.item()).toBe(0);
    // Without running statistics, eval mode uses the batch's.
    const batchOnly = new BatchNorm1d(1, { trackRunningStats: false }).eval();
    expect(Array.from(batchOnly.forward(tensor([[1], [3]])).values()).map((v) => Math.round(v * 1e3) / 1e3)).toEqual([-1, 1]);
  });

  it("in eval mode the input's gradient is dy invstd w alone, as PyTorch: finite even where the input is infinite", () => {
    const bn = new BatchNorm1d(2, { affine: false }).eval();
    noGrad(() => bn.running_var!.copy_(tensor([4, 0.25])));
    const x = tensor([[Infinity, 1], [2, -Infinity]], { requiresGrad: true });
    bn.forward(x).backward(tensor([[1, 2], [3, 4]]));
    // invstd = 1 / sqrt(var + 1e-5): about 1/2 and 2.
    const invstd = [1 / Math.sqrt(4 + 1e-5), 1 / Math.sqrt(0.25 + 1e-5)];
    expect(Array.from(x.grad!.values())).toEqual([1 * invstd[0]!, 2 * invstd[1]!, 3 * invstd[0]!, 4 * invstd[1]!].map(Math.fround));
  });

  it('refuses bad inputs with errors that name the problem', () => {
    expect(() => new BatchNorm2d(3).forward(zeros([4, 3, 5]))).toThrow(/BatchNorm2d: expected a 4-D input \[N, C, H, W\], got shape \[4, 3, 5\]/);
    expect(() => new BatchNorm1d(3).forward(zeros([4, 3, 2, 2]))).toThrow(/BatchNorm1d: expected a 2-D \[N, C\] or 3-D \[N, C, L\] input/);
    expect(() => new BatchNorm2d(3).forward(zeros([4, 2, 5, 5]))).toThrow(/expected 3 channels \(axis 1\), got an input of shape \[4, 2, 5, 5\]/);
    expect(() => new BatchNorm1d(3).forward(zeros([1, 3]))).toThrow(/expected more than 1 value per channel when training/);
    expect(() => new BatchNorm1d(3, { momentum: 2 })).toThrow(/momentum must be a number in \[0, 1\] or null/);
    expect(() => new BatchNorm1d(3, { track_running_stats: false } as never)).toThrow(/unknown option 'track_running_stats'/);
    const statistic = tensor([0, 0, 0], { requiresGrad: true });
    expect(() => batchNorm(zeros([4, 3]), statistic, tensor([1, 1, 1]))).toThrow(/batchNorm: running statistics take no gradient \(as in PyTorch\)/);
  });
});

describe('LayerNorm', () => {
  it('normalises each sample over the last axes, with weight and bias of that shape', () => {
    const ln = new LayerNorm([2, 2]);
    expect(shapesOf(ln)).toEqual(['weight float32 [2, 2]', 'bias float32 [2, 2]']);
    const y = ln.forward(tensor([[[1, 2], [3, 4]], [[10, 10], [10, 10]]]));
    const s = Math.sqrt(1.25 + 1e-5);
    const want = [-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s, 0, 0, 0, 0];
    Array.from(y.values()).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 5));
    expect(() => ln.forward(zeros([2, 3, 2]))).toThrow(/the input's last axes must be the normalized shape \[2, 2\], got an input of shape \[2, 3, 2\]/);
    expect(() => new LayerNorm([])).toThrow(/normalizedShape must be a positive integer or a non-empty array/);
  });
});

describe('Embedding', () => {
  it('looks rows up for int32 indices of any shape, and refuses indices out of range or not int32', () => {
    manualSeed(1);
    const emb = new Embedding(5, 3);
    const y = emb.forward(tensor([[4, 0], [4, 2]], { dtype: 'int32' }));
    expect(y.shape).toEqual([2, 2, 3]);
    const w = emb.weight.toArray() as number[][];
    expect((y.toArray() as number[][][])[1]![0]).toEqual(w[4]);
    expect(() => emb.forward(tensor([1, 5], { dtype: 'int32' }))).toThrow(/index 5 \(element 1 of the indices\) is out of range for 5 embeddings/);
    expect(() => emb.forward(tensor([-1], { dtype: 'int32' }))).toThrow(/index -1 .* is out of range/);
    expect(() => emb.forward(tensor([1.0]))).toThrow(/the indices must be an int32 tensor, got float32/);
  });

  it('adds the gradient of repeated indices into one row', () => {
    const emb = new Embedding(3, 2);
    emb.forward(tensor([1, 1, 2], { dtype: 'int32' })).sum().backward();
    expect(emb.weight.grad!.toArray()).toEqual([[0, 0], [2, 2], [1, 1]]);
  });
});

describe('CNN memory', () => {
  it('a conv-BatchNorm-pool step repeated stays flat in kernel memory, with no dispose', () => {
    const conv = new Conv2d(1, 4, 3, { padding: 1 });
    const bn = new BatchNorm2d(4);
    const pool = new MaxPool2d(2);
    const step = () => {
      conv.zeroGrad();
      pool.forward(bn.forward(conv.forward(randn([8, 1, 12, 12])))).relu().sum().backward();
    };
    for (let i = 0; i < 20; i++) step();
    const warm = memory();
    for (let i = 0; i < 200; i++) step();
    const end = memory();
    expect(end.liveTensors).toBeLessThanOrEqual(warm.liveTensors * 1.1 + 5);
    expect(end.wasmBytes).toBeLessThanOrEqual(warm.wasmBytes * 1.1);
  });
  it('an inference loop over convolutions, inputs made from arrays, no dispose: flat, no data copied back in', () => {
    const conv = new Conv2d(1, 6, 5, { padding: 2 });
    const pixels = Array.from({ length: 784 }, (_, i) => (i % 7) / 7);
    const step = () => noGrad(() => conv.forward(tensor(pixels, { shape: [1, 1, 28, 28] }))).sum().item();
    for (let i = 0; i < 5_000; i++) step();
    const warm = memory();
    for (let i = 0; i < 20_000; i++) step();
    const end = memory();
    expect(end.liveTensors).toBeLessThanOrEqual(warm.liveTensors * 1.1 + 5);
    expect(end.wasmBytes).toBeLessThanOrEqual(warm.wasmBytes * 1.1);
    // The output is allocated after the op's scratch: nothing it writes is moved out and back first.
    expect(end.restores).toBe(warm.restores);
  });
});

it('ShapeError is what shape problems throw', () => {
  expect(() => new Conv2d(1, 1, 3).forward(zeros([1, 1, 1, 1]))).toThrow(ShapeError);
});
