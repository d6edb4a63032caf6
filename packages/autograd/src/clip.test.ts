import { describe, expect, it } from 'vitest';
import { clipGradNorm, clipGradValue, tensor } from './index';

describe('gradient clipping', () => {
  it('clipGradNorm scales all gradients together to the max norm and returns the norm before', () => {
    const a = tensor([3, 0], { requiresGrad: true });
    const b = tensor([4], { requiresGrad: true });
    a.mul(tensor([3, 0])).sum().add(b.mul(4).sum()).backward(); // grads [3, 0] and [4]: norm 5
    expect(clipGradNorm([a, b], 1)).toBeCloseTo(5, 5);
    expect(Array.from(a.grad!.values()).map((v) => +v.toFixed(5))).toEqual([0.6, 0]);
    expect(b.grad!.item()).toBeCloseTo(0.8, 5);
    expect(clipGradNorm([a, b], 10)).toBeCloseTo(1, 5); // under the limit: unchanged
    expect(b.grad!.item()).toBeCloseTo(0.8, 5);
    expect(clipGradNorm([a, b], 0.1, { normType: Infinity })).toBeCloseTo(0.8, 5);
  });

  it('clipGradValue clamps each element', () => {
    const a = tensor([1, 2, 3], { requiresGrad: true });
    a.mul(tensor([-5, 0.5, 5])).sum().backward();
    clipGradValue([a], 1);
    expect(Array.from(a.grad!.values())).toEqual([-1, 0.5, 1]);
  });
});
