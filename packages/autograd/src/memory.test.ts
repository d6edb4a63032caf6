import { describe, expect, it } from 'vitest';
import { binaryCrossEntropyWithLogits, memory, noGrad, randn, resetHighWater, scope, tensor, zeros, type Tensor } from './index';

describe('memory stays flat in a naive training loop', () => {
  it('10,000 steps of an MLP with no dispose or scope: high-water within 2x of one step, no growth', () => {
    // XOR with a 2-8-1 tanh MLP, written as a user would: no dispose, no scope, no keep.
    const X = tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
    const Y = tensor([[0], [1], [1], [0]]);
    const w1 = randn([2, 8], { std: 1, requiresGrad: true });
    const b1 = zeros([8], { requiresGrad: true });
    const w2 = randn([8, 1], { std: 0.5, requiresGrad: true });
    const b2 = zeros([1], { requiresGrad: true });
    const params = [w1, b1, w2, b2];
    const step = (): Tensor => {
      const out = X.matmul(w1).add(b1).tanh().matmul(w2).add(b2);
      const loss = binaryCrossEntropyWithLogits(out, Y);
      loss.backward();
      noGrad(() => {
        for (const p of params) {
          p.sub_(p.grad!, 0.5);
          p.zeroGrad();
        }
      });
      return loss;
    };
    step(); // first step: allocator warm
    resetHighWater();
    const before = memory();
    step();
    const oneStep = memory().highWaterBytes; // one step's working set (persistent data included)
    let last = 0;
    for (let i = 0; i < 10_000; i++) last = step().item();
    const after = memory();
    expect(after.highWaterBytes).toBeLessThanOrEqual(2 * oneStep);
    expect(after.wasmBytes).toBe(before.wasmBytes);
    expect(after.liveTensors).toBeLessThanOrEqual(before.liveTensors + 40);
    expect(last).toBeLessThan(0.01); // and it learned XOR
  });

  it('scope() releases everything created inside except its result', () => {
    const x = tensor([1, 2, 3]);
    const before = memory().liveTensors;
    const y = scope(() => x.mul(2).add(1).exp().sum());
    expect(memory().liveTensors).toBe(before + 1);
    expect(y.item()).toBeCloseTo(Math.exp(3) + Math.exp(5) + Math.exp(7), 1);
  });
});
