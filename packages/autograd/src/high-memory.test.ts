// Every address of the 4 GiB heap works: tensors placed past 2 GiB (where a signed `ptr >> 2` would wrap to a
// negative index) are written, computed on and read back exactly. Its own file, so only this test process
// holds a heap that large.
import { kernels } from '@backprop/kernels';
import { describe, expect, it } from 'vitest';
import { crossEntropy, linear, memory, noGrad, tensor, type Tensor } from './index';

const TWO_GIB = 2 ** 31;

/** Some computations of every kind (kernel writes, reads, gradients, int32), as plain numbers. */
function compute(): number[][] {
  const x = tensor([[0.5, -1, 2], [3, 0.25, -0.75]], { requiresGrad: true });
  const w = tensor([[1, 2, 3], [-1, 0.5, 0], [0.1, 0.2, 0.3], [2, -2, 1]], { requiresGrad: true });
  const labels = tensor([3, 1], { dtype: 'int32' });
  const logits = linear(x, w).tanh();
  crossEntropy(logits, labels).backward();
  const ints = labels.add(tensor([10, 20], { dtype: 'int32' })).mul(3);
  const product = noGrad(() => x.matmul(w.transpose()).exp().sum(1));
  return [logits, x.grad!, w.grad!, ints, product, logits.argmax(1)].map((t: Tensor) => Array.from(t.values()));
}

describe('tensors above 2 GiB of kernel memory', () => {
  it('are written, computed on and read exactly as below 2 GiB', () => {
    const below = compute();
    // Push the heap's top past 2 GiB with an untouched block (no page of it is ever written).
    const filler = kernels.heap.alloc(TWO_GIB + 64 * 1024 * 1024);
    try {
      expect(memory().wasmBytes).toBeGreaterThan(TWO_GIB);
      const probe = tensor([1, 2, 3]);
      expect((probe.storage as unknown as { ptr: number }).ptr, 'the new tensor lives past 2 GiB').toBeGreaterThan(TWO_GIB);
      expect(probe.toArray()).toEqual([1, 2, 3]);
      expect(compute()).toEqual(below);
    } finally {
      kernels.heap.free(filler);
    }
  });
});
