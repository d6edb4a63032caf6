// Views: permute, transpose, expand, narrow, unsqueeze, squeeze and reshape share storage with strides, cost no
// copy, compute like the data they stand for, and take in-place changes through to the tensor they view.
import { kernels } from '@backprop/kernels';
import { describe, expect, it } from 'vitest';
import { arange, noGrad, ones, pad, tensor, zeros } from './index';

const allocations = (): number => kernels.heap.stats().liveAllocations;

describe('views', () => {
  it('a permute, transpose, expand or narrow allocates no kernel memory and shares storage', () => {
    const x = arange(24).reshape([2, 3, 4]);
    const before = allocations();
    const views = [x.permute([2, 0, 1]), x.transpose(0, 2), x.transpose(), x.narrow(1, 1, 2), x.narrow(2, 0, 1).expand([2, 3, 5]), x.unsqueeze(1).squeeze(1), x.reshape([6, 4])];
    expect(allocations()).toBe(before);
    for (const v of views) expect(v.storage).toBe(x.storage);
    expect([...views[0]!.strides]).toEqual([1, 12, 4]);
    expect([...views[4]!.strides]).toEqual([12, 4, 0]);
    expect(views.map((v) => v.isContiguous)).toEqual([false, false, false, false, false, true, true]);
  });

  it('read, and compute on, as the elements they stand for', () => {
    const x = arange(6).reshape([2, 3]);
    expect(x.transpose().toArray()).toEqual([[0, 3], [1, 4], [2, 5]]);
    expect(x.narrow(1, 1, 2).toArray()).toEqual([[1, 2], [4, 5]]);
    expect(x.narrow(0, 1, 1).expand([3, 3]).toArray()).toEqual([[3, 4, 5], [3, 4, 5], [3, 4, 5]]);
    // Elementwise ops walk the strides (small: element by element; large: gathered first, then SIMD).
    expect(x.transpose().add(x.transpose()).toArray()).toEqual([[0, 6], [2, 8], [4, 10]]);
    const big = arange(4096).reshape([64, 64]);
    const sum = big.transpose().add(big.transpose().mul(2)).values();
    expect(sum[1]).toBe(3 * 64); // element [0, 1] of the transpose is big[1, 0] = 64
    expect(x.transpose().exp().toArray()).toEqual(x.exp().transpose().toArray());
    expect(x.transpose().matmul(x).toArray()).toEqual([[9, 12, 15], [12, 17, 22], [15, 22, 29]]);
    expect(x.transpose().contiguous().isContiguous).toBe(true);
    expect(x.transpose().reshape([6]).toArray()).toEqual([0, 3, 1, 4, 2, 5]); // a copy: not viewable in place
  });

  it('take in-place changes through to the tensor they view, and count its versions', () => {
    const x = zeros([3, 4]);
    x.narrow(1, 1, 2).fill_(1);
    x.transpose().narrow(0, 3, 1).add_(tensor([[1, 2, 3]]));
    expect(x.toArray()).toEqual([[0, 1, 1, 1], [0, 1, 1, 2], [0, 1, 1, 3]]);
    x.narrow(0, 2, 1).copy_(tensor([7, 8, 9, 10]));
    x.transpose().mul_(2);
    expect(x.toArray()).toEqual([[0, 2, 2, 2], [0, 2, 2, 4], [14, 16, 18, 20]]);
    expect(x.version).toBe(4);
    const labels = zeros([2, 3], { dtype: 'int32' });
    labels.transpose().narrow(0, 1, 1).fill_(5);
    expect(labels.toArray()).toEqual([[0, 5, 0], [0, 5, 0]]);
  });

  it('indexSelect picks along any axis, with gradients back to the picked entries', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
    const y = x.indexSelect([2, 0, 2], 1);
    expect(y.toArray()).toEqual([[3, 1, 3], [6, 4, 6]]);
    y.sum().backward();
    expect(x.grad!.toArray()).toEqual([[1, 0, 2], [1, 0, 2]]);
    expect(x.indexSelect([1], -2).toArray()).toEqual([[4, 5, 6]]);
  });

  it('refuse what they cannot do, naming it', () => {
    const x = ones([2, 3]);
    expect(() => x.permute([0, 0])).toThrow('permute: [0, 0] is not an order of the 2 axes of a [2, 3] tensor');
    expect(() => x.expand([2, 4])).toThrow('expand: a [2, 3] tensor cannot expand to [2, 4] (only axes of size 1 grow, and new axes lead)');
    expect(() => x.narrow(1, 2, 2)).toThrow('narrow: start 2 and length 2 do not fit axis 1 of a [2, 3] tensor');
    expect(() => x.transpose(0, 2)).toThrow('transpose: axis 2 is out of range for a tensor of rank 2');
    expect(() => x.flatten(1, 0)).toThrow('flatten: startDim 1 comes after endDim 0 for a [2, 3] tensor');
    expect(() => pad(x, [1])).toThrow(/pad: pads must be pairs of integers/);
    expect(() => noGrad(() => x.gather(1, tensor([[3]], { dtype: 'int32' })))).toThrow('gather: index 3 is out of range for axis 1 of size 3');
  });
});
