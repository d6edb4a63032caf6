// The memory model, tested on the programs users write (no dispose(), no scope()): kernel memory and the
// tensors in it must be the same after warm-up and at the end, and every tensor the user holds stays valid.
import { describe, expect, it } from 'vitest';
import {
  binaryCrossEntropyWithLogits, crossEntropy, linear, memory, noGrad, randn, ReleasedTensorError, scope, tensor, zeros,
  type MemoryReport, type Tensor,
} from './index';

/** Runs `iteration` n times; memory() after the first `warmUp` iterations and at the end. */
function measure(n: number, warmUp: number, iteration: (i: number) => void): { warm: MemoryReport; end: MemoryReport } {
  let warm: MemoryReport | undefined;
  for (let i = 0; i < n; i++) {
    iteration(i);
    if (i === warmUp - 1) warm = memory();
  }
  return { warm: warm!, end: memory() };
}

/** WASM memory and live tensors at the end within 10% of after warm-up. */
function expectFlat({ warm, end }: { warm: MemoryReport; end: MemoryReport }): void {
  expect(end.wasmBytes, 'WASM memory').toBeLessThanOrEqual(warm.wasmBytes * 1.1);
  expect(end.liveTensors, 'live tensors').toBeLessThanOrEqual(warm.liveTensors * 1.1);
  expect(end.liveTensors, 'live tensors').toBeGreaterThanOrEqual(warm.liveTensors * 0.9);
}

/** A 2-8-1 tanh MLP's parameters. */
function mlp(): Tensor[] {
  return [randn([8, 2], { std: 1, requiresGrad: true }), zeros([8], { requiresGrad: true }), randn([1, 8], { std: 0.5, requiresGrad: true }), zeros([1], { requiresGrad: true })];
}

const forward = ([w1, b1, w2, b2]: Tensor[], x: Tensor): Tensor => linear(linear(x, w1!, b1).tanh(), w2!, b2);

const xor = [[0, 0], [0, 1], [1, 0], [1, 1]];

describe('memory stays flat in the programs users write, with no dispose() or scope()', () => {
  it('a training loop that makes its inputs from arrays every step: 10,000 steps', () => {
    const params = mlp();
    let loss = 1;
    const flat = measure(10_000, 2_000, () => {
      const x = tensor(xor);
      const y = tensor([[0], [1], [1], [0]]);
      const l = binaryCrossEntropyWithLogits(forward(params, x), y);
      l.backward();
      noGrad(() => {
        for (const p of params) {
          p.sub_(p.grad!, 0.5);
          p.zeroGrad();
        }
      });
      loss = l.item();
    });
    expectFlat(flat);
    expect(loss).toBeLessThan(0.01); // and it learned XOR
  });

  for (const grad of [false, true]) {
    it(`an inference loop (forward, read the result), 100,000 iterations${grad ? ', recording gradients' : ' under noGrad'}`, () => {
      const params = mlp();
      const input = [[1, 0]];
      const want = noGrad(() => forward(params, tensor(input)).item());
      const infer = (): number => forward(params, tensor(input)).item();
      const flat = measure(100_000, 20_000, () => {
        const got = grad ? infer() : noGrad(infer);
        if (got !== want) throw new Error(`got ${got}, want ${want}`);
      });
      expectFlat(flat);
    });
  }

  it('a tensor the user holds stays valid however many steps later it is used', () => {
    // A test set made before training, through ops (its data ends up spilled while the loop runs).
    const testX = tensor(xor).mul(2).sub(1);
    const labels = tensor([0, 1, 1, 0], { dtype: 'int32' });
    const [w1, b1] = [randn([16, 2], { requiresGrad: true }), zeros([16], { requiresGrad: true })];
    const [w2, b2] = [randn([2, 16], { std: 0.3, requiresGrad: true }), zeros([2], { requiresGrad: true })];
    const net = (x: Tensor): Tensor => linear(linear(x, w1, b1).tanh(), w2, b2);
    const before = noGrad(() => net(testX)); // an output held across training
    const beforeValues = Array.from(before.values());
    const { evictions } = memory();
    for (let epoch = 0; epoch < 50; epoch++) {
      for (let step = 0; step < 100; step++) {
        const batch = tensor(xor).mul(2).sub(1);
        crossEntropy(net(batch), labels).backward();
        noGrad(() => {
          for (const p of [w1, b1, w2, b2]) {
            p.sub_(p.grad!, 0.1);
            p.zeroGrad();
          }
        });
      }
    }
    expect(memory().evictions, 'the loop moved data out of kernel memory').toBeGreaterThan(evictions);
    expect(Array.from(testX.values())).toEqual([-1, -1, -1, 1, 1, -1, 1, 1]);
    expect(Array.from(before.values())).toEqual(beforeValues);
    expect(noGrad(() => net(testX).argmax(1)).toArray()).toEqual([0, 1, 1, 0]);
  });

  it('a working set larger than the room for new data stays in kernel memory: no spill and copy back on every pass', () => {
    // The zoo's deep MLP at batch 64: weights and input outgrow the first budget; each pass makes intermediates
    // and an output that is read and dropped. (Grown only at the end of a turn of the clock, the budget lagged,
    // and every pass spilled and copied back a few weights.)
    const sizes = [784, 256, 128, 64, 32, 10];
    const layers = sizes.slice(1).map((out, i) => [randn([out, sizes[i]!]), zeros([out])] as const);
    const [mean, std] = [tensor(0.1), tensor(0.3)];
    const x = randn([64, 784]);
    const infer = (): number => noGrad(() => layers.reduce((h, [w, b]) => linear(h, w, b).relu(), x.sub(mean).div(std))).values()[0]!;
    for (let i = 0; i < 300; i++) infer();
    const { restores } = memory();
    for (let i = 0; i < 100; i++) infer();
    expect(memory().restores - restores, 'data copied back into kernel memory in 100 passes after warm-up').toBe(0);
  });

  it('a tensor read after its data moved out of kernel memory reads where it is, and an op brings it back', () => {
    const kept = tensor([1.5, -2, 3]);
    const { evictions, liveTensors } = memory();
    // New tensors until the clock hand has passed every older storage (how many it takes depends on the budget
    // that earlier work has grown): kept, unused since, is spilled on that pass.
    for (let chunk = 0; chunk < 1000 && memory().evictions - evictions <= liveTensors; chunk++) for (let i = 0; i < 1000; i++) tensor([i, i, i]).add(1);
    expect(memory().evictions - evictions).toBeGreaterThan(liveTensors);
    expect(kept.toArray()).toEqual([1.5, -2, 3]);
    const { restores } = memory();
    expect(kept.mul(2).toArray()).toEqual([3, -4, 6]);
    expect(memory().restores).toBeGreaterThan(restores);
  });

  it('scope() frees everything created inside except its result, and use afterwards says why', () => {
    const x = tensor([1, 2, 3]);
    let inner: Tensor | undefined;
    const y = scope(() => {
      inner = x.mul(2).add(1);
      return inner.exp().sum();
    });
    expect(inner!.isReleased).toBe(true);
    expect(y.isReleased).toBe(false);
    expect(y.item()).toBeCloseTo(Math.exp(3) + Math.exp(5) + Math.exp(7), 1);
    expect(() => inner!.item()).toThrow(ReleasedTensorError);
    expect(() => inner!.item()).toThrow(/created inside a scope\(\) that has returned \(return it from the function, or call keep\(\) on it/);
  });
});
