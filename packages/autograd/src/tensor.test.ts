import { describe, expect, it } from 'vitest';
import {
  arange, concat, crossEntropy, detectAnomaly, DTypeError, eye, full, manualSeed, memory, noGrad, ones, rand, randn,
  ReleasedTensorError, ShapeError, stack, tensor, where, zeros, AnomalyError, fusedUpdate, updates, type Tensor,
} from './index';

describe('creation and reading', () => {
  it('builds tensors from nested arrays, numbers and typed arrays, and reads them back', () => {
    const a = tensor([[1, 2, 3], [4, 5, 6]]);
    expect([...a.shape]).toEqual([2, 3]);
    expect(a.size).toBe(6);
    expect(a.dtype).toBe('float32');
    expect(a.toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(Array.from(a.data())).toEqual([1, 2, 3, 4, 5, 6]);
    expect(tensor(3.5).item()).toBe(3.5);
    expect([...tensor(3.5).shape]).toEqual([]);
    expect(tensor(new Float32Array([1, 2, 3, 4]), { shape: [2, 2] }).toArray()).toEqual([[1, 2], [3, 4]]);
    const labels = tensor([2, 0, 1], { dtype: 'int32' });
    expect(labels.dtype).toBe('int32');
    expect(labels.data()).toBeInstanceOf(Int32Array);
    expect(tensor([]).size).toBe(0);
  });

  it('zeros, ones, full, arange and eye', () => {
    expect(zeros([2, 2]).toArray()).toEqual([[0, 0], [0, 0]]);
    expect(ones([3]).toArray()).toEqual([1, 1, 1]);
    expect(full([2], 7).toArray()).toEqual([7, 7]);
    expect(arange(5).toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(arange(1, 2, 0.25).toArray()).toEqual([1, 1.25, 1.5, 1.75]);
    expect(arange(3, undefined, 1, { dtype: 'int32' }).dtype).toBe('int32');
    expect(eye(2, 3).toArray()).toEqual([[1, 0, 0], [0, 1, 0]]);
  });

  it('rand and randn are reproducible under manualSeed, and have the requested distribution', () => {
    manualSeed(42);
    const a = rand([1000]).values();
    const b = randn([1000], { mean: 2, std: 3 }).values();
    manualSeed(42);
    expect(Array.from(rand([1000]).values())).toEqual(Array.from(a));
    expect(Array.from(randn([1000], { mean: 2, std: 3 }).values())).toEqual(Array.from(b));
    expect(Math.min(...a)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...a)).toBeLessThan(1);
    const mean = Array.from(b).reduce((s, v) => s + v, 0) / b.length;
    expect(Math.abs(mean - 2)).toBeLessThan(5 * 3 / Math.sqrt(1000));
    manualSeed(43);
    expect(Array.from(rand([4]).values())).not.toEqual(Array.from(a.slice(0, 4)));
  });

  it('prints like PyTorch', () => {
    expect(String(tensor([[1, 2], [3, 4]]))).toBe('tensor([[1.0000, 2.0000],\n        [3.0000, 4.0000]])');
    expect(String(tensor([1, 2], { requiresGrad: true }))).toBe('tensor([1.0000, 2.0000], requiresGrad=true)');
    expect(String(tensor([1, 2], { requiresGrad: true }).mul(2))).toBe('tensor([2.0000, 4.0000], gradFn=mul)');
    expect(String(tensor([3, 1], { dtype: 'int32' }))).toBe("tensor([3, 1], dtype='int32')");
    // Over 1,000 elements, the first and last three of each dimension, as PyTorch summarises.
    expect(String(arange(2000))).toBe('tensor([0.0000, 1.0000, 2.0000, ..., 1997.0000, 1998.0000, 1999.0000])');
    const rows = String(arange(3000).reshape([100, 30])).split('\n');
    expect(rows).toHaveLength(7);
    expect(rows[3]).toBe('        ...,');
    expect(rows[6]).toBe('        [2970.0000, 2971.0000, 2972.0000, ..., 2997.0000, 2998.0000, 2999.0000]])');
  });
});

describe('errors name the problem', () => {
  it('bad data', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(/ragged nested array: \[1\] has 1 elements where 2 were expected/);
    expect(() => tensor([1, 'a' as unknown as number])).toThrow(/expected a number at \[1\], got string/);
    expect(() => tensor([1, 2, 3], { shape: [2, 2] })).toThrow(/3 values do not fill shape \[2, 2\]/);
    expect(() => tensor([1, 3e9], { dtype: 'int32' })).toThrow('tensor: element 1 (3000000000) cannot be converted to int32 without overflow');
    expect(() => tensor([Number.NaN], { dtype: 'int32' })).toThrow(/element 0 \(NaN\) cannot be converted to int32/);
    expect(() => tensor(['1', '2'] as unknown as number[], { shape: [2] })).toThrow("tensor: expected a number at [0], got string");
    expect(() => tensor('1, 2' as unknown as number[])).toThrow("tensor: data must be a number, nested arrays of numbers or a typed array, got the string '1, 2'");
    expect(() => tensor([1], { dtpye: 'int32' } as never)).toThrow("tensor: unknown option 'dtpye' (options: shape, dtype, requiresGrad)");
    expect(() => zeros([2, -1])).toThrow(/a shape is an array of non-negative integers/);
    expect(() => tensor([1], { dtype: 'float16' as 'float32' })).toThrow(/unknown dtype 'float16'/);
  });

  it('indexSelect picks rows in order and, as PyTorch, refuses indices out of [0, rows) (negative ones too)', () => {
    const x = tensor([[1, 2], [3, 4], [5, 6]]);
    expect(x.indexSelect([2, 0, 2]).toArray()).toEqual([[5, 6], [1, 2], [5, 6]]);
    expect(tensor([7, 8, 9], { dtype: 'int32' }).indexSelect([1]).toArray()).toEqual([8]);
    expect(() => x.indexSelect([3])).toThrow('indexSelect: index 3 at position 0 is out of range for 3 rows (0 <= index < 3)');
    expect(() => x.indexSelect([0, -1])).toThrow('indexSelect: index -1 at position 1 is out of range for 3 rows');
  });

  it('shape mismatches name the op and both shapes', () => {
    expect(() => ones([2, 3]).add(ones([4]))).toThrow(ShapeError);
    expect(() => ones([2, 3]).add(ones([4]))).toThrow('add: shapes [2, 3] and [4] cannot be broadcast together');
    expect(() => ones([2, 3]).matmul(ones([4, 5]))).toThrow('matmul: shapes [2, 3] and [4, 5] are incompatible (inner dimensions 3 and 4 differ)');
    expect(() => ones([2, 3]).reshape([4, 2])).toThrow('reshape: cannot reshape [2, 3] (6 elements) into [4, 2]');
    expect(() => ones([2, 3]).sum(2)).toThrow('sum: axis 2 is out of range for a tensor of rank 2');
    expect(() => ones([2, 3]).sum(1.5)).toThrow('sum: an axis must be an integer, got 1.5');
    expect(() => (ones([2, 3]).softmax as (axis?: number) => unknown)()).toThrow('softmax: an axis must be an integer, got undefined');
    expect(() => ones([2, 3]).mean(Number.NaN)).toThrow('mean: an axis must be an integer, got NaN');
    expect(() => ones([2, 3]).softmax('1' as never)).toThrow("softmax: an axis must be an integer, got the string '1'");
    expect(() => ones([2, 3]).reshape([2, '3' as never])).toThrow('reshape: invalid shape [2,"3"]');
    // where takes a boolean condition (0/1, from a comparison), as PyTorch takes only bool: other values are a mistake.
    expect(() => where(tensor([1, 0.5, 0]), ones([3]), 0)).toThrow('where: the condition must be boolean, 0 or 1 (from a comparison such as a.gt(0)), but element 1 is 0.5');
    expect(where(tensor([1, 0], { dtype: 'int32' }), ones([2]), 5).toArray()).toEqual([1, 5]);
    expect(() => concat([ones([2, 3]), ones([2, 4])], 0)).toThrow(/concat: every tensor must match except along axis 0/);
    expect(() => stack([ones([2]), ones([3])])).toThrow(/stack: every tensor must have the same shape/);
  });

  it('dtype misuse', () => {
    const labels = tensor([0, 1], { dtype: 'int32' });
    expect(() => labels.leakyRelu()).toThrow(DTypeError);
    expect(() => labels.leakyRelu()).toThrow('leakyRelu: expected a float32 tensor, got int32 (shape [2])');
    expect(() => crossEntropy(ones([2, 3]), tensor([0, 1]))).toThrow(/labels must be int32 class indices, got float32/);
    expect(() => crossEntropy(ones([2, 3]), tensor([0, 3], { dtype: 'int32' }))).toThrow('crossEntropy: label 3 in row 1 is out of range for 3 classes');
    expect(() => { labels.requiresGrad = true; }).toThrow(/only float32 tensors can require gradients/);
  });

  it('backward on a non-scalar without a gradient, twice through a released graph, or without requiresGrad', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(() => x.mul(2).backward()).toThrow(/the tensor has shape \[2\]; only a one-element tensor can start backward without a gradient argument/);
    expect(() => x.mul(2).backward([1, 1, 1])).toThrow('backward(): the gradient has shape [3] but the tensor has shape [2]');
    const y = x.square().sum();
    y.backward();
    expect(() => y.backward()).toThrow(/already released by an earlier backward\(\); pass \{ retainGraph: true \}/);
    expect(() => tensor([1]).mul(2).sum().backward()).toThrow(/does not require grad/);
  });

  it('use after dispose names the reason; op outputs stay valid however many training steps later', () => {
    const t = tensor([1, 2]);
    t.dispose();
    expect(() => t.add(1)).toThrow(ReleasedTensorError);
    expect(() => t.toArray()).toThrow('values: this [2] tensor was released: dispose() was called on it');
    const w = tensor([1, 2], { requiresGrad: true });
    const first = w.mul(3).sum();
    first.backward();
    for (let i = 0; i < 100; i++) w.mul(2).sum().backward();
    expect(first.item()).toBe(9);
  });

  it('anomaly mode names the first op that produced NaN or Inf', () => {
    const x = tensor([1, -1]);
    expect(() => detectAnomaly(() => x.mul(2).log().exp())).toThrow(AnomalyError);
    expect(() => detectAnomaly(() => x.mul(2).log().exp())).toThrow("anomaly: op 'log' (forward) produced NaN at flat index 1 of its [2] output");
    const y = tensor([0], { requiresGrad: true });
    expect(() => detectAnomaly(() => y.sqrt().sum().backward())).toThrow("anomaly: the backward of op 'sqrt' produced Infinity");
    expect(() => x.log()).not.toThrow(); // off by default
  });

  it('a tensor too large for WebAssembly memory fails with an out-of-memory error, and nothing breaks', () => {
    const before = memory().liveTensors;
    expect(() => zeros([100_000, 100_000])).toThrow(/cannot allocate 40000000000 bytes: the WebAssembly heap would exceed 4 GiB/);
    expect(memory().liveTensors).toBe(before);
    expect(ones([3]).sum().item()).toBe(3);
  });

  it('in-place updates refuse leaves that require grad outside noGrad', () => {
    const w = tensor([1, 2], { requiresGrad: true });
    expect(() => w.sub_(1)).toThrow('sub_: a leaf tensor that requires grad (a parameter) cannot change in place while gradients are recorded, as in PyTorch; run it inside noGrad(() => ...), as optimisers do');
    noGrad(() => w.sub_(tensor([0.5, 0.5]), 2));
    expect(w.toArray()).toEqual([0, 1]);
  });
});

describe('the tape', () => {
  it('accumulates gradients across backward calls like PyTorch, and zeroGrad clears them', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    x.square().sum().backward();
    x.square().sum().backward();
    expect(x.grad!.toArray()).toEqual([4, 8, 12]);
    x.zeroGrad();
    expect(x.grad).toBeNull();
  });

  it('sums the gradient of a tensor used twice, and of an add passing one gradient to both inputs', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    x.add(x).mul(x).sum().backward(); // d(2x^2)/dx = 4x
    expect(x.grad!.toArray()).toEqual([4, 8]);
    const a = tensor([1], { requiresGrad: true });
    const b = tensor([1], { requiresGrad: true });
    const s = a.add(b);
    s.add(s).sum().backward();
    expect([a.grad!.item(), b.grad!.item()]).toEqual([2, 2]);
  });

  it('takes an explicit upstream gradient without modifying it, and retainGraph allows a second backward', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const g = tensor([1, 10]);
    const y = x.mul(3);
    y.backward(g, { retainGraph: true });
    y.backward(g);
    expect(x.grad!.toArray()).toEqual([6, 60]);
    expect(g.toArray()).toEqual([1, 10]);
  });

  it('in-place changes keep every gradient right or refuse: views, versions, fused updates', () => {
    const x = tensor([1, 2, 3, 4], { requiresGrad: true });
    // A view of an op output changed in place cannot be recorded yet: a clear error, nothing changed.
    const view = x.mul(2).reshape([2, 2]);
    expect(() => view.add_(1)).toThrow('add_: in-place changes to a view (reshape, permute, narrow, ...) cannot be recorded for autograd yet; use the out-of-place op (y = y.add(...))');
    expect(view.toArray()).toEqual([[2, 4], [6, 8]]);
    // The base of a view changed in place after the view was used: backward through the view refuses.
    const base = x.mul(2);
    const rows = base.slice(0, 1);
    const loss = rows.sum();
    base.mul_(3);
    expect(() => loss.backward()).toThrow(/a \[4\] tensor that 'narrow' needs for its gradient was changed in place/);
    // Versions count every in-place change, views included, and fused optimiser updates.
    const t = tensor([1, 2]);
    const alias = t.reshape([2, 1]);
    t.add_(1);
    alias.mul_(2);
    expect([t.version, alias.version]).toEqual([2, 2]);
    const w = tensor([1, 2], { requiresGrad: true });
    const saved = w.square().sum();
    fusedUpdate(updates.sgd, { param: w, grad: tensor([1, 1]), momentumBuffer: zeros([2]) }, { lr: 0.1, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, first: true });
    expect(w.version).toBe(1);
    expect(() => saved.backward()).toThrow(/'square' needs for its gradient was changed in place/);
  });

  it('discard() frees a tensor once no recorded op needs it: at once without a graph, after backward with one', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const free = noGrad(() => x.mul(2));
    free.discard();
    expect(free.isReleased).toBe(true);
    const h = x.mul(2); // saved by nothing, but the input of the exp below (which saves its own output)
    const y = h.exp();
    h.discard();
    expect(h.isReleased).toBe(false); // the tape still holds it
    y.sum().backward(undefined, { retainGraph: true });
    expect(h.isReleased).toBe(false); // a retained graph still holds it
    const z = x.mul(3);
    const w = z.square().sum();
    z.discard();
    w.backward();
    expect(z.isReleased).toBe(true);
    expect(() => z.item()).toThrow(/an intermediate result of a container \(such as Sequential\), freed once backward no longer needed it/);
    const [g0, g1] = x.grad!.toArray() as number[];
    expect(g0).toBeCloseTo(18 + 2 * Math.exp(2), 4);
    expect(g1).toBeCloseTo(36 + 2 * Math.exp(4), 3);
  });

  it('backward through an op whose saved tensor was disposed says so, before computing anything', () => {
    const a = tensor([[1, 2]], { requiresGrad: true });
    const b = tensor([[3], [4]]);
    const y = a.matmul(b);
    b.dispose();
    expect(() => y.sum().backward()).toThrow("backward() through 'matmul': this [2, 1] tensor was released: dispose() was called on it");
    expect(a.grad).toBeNull();
  });

  it('clone copies and passes gradients straight through', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const c = x.clone();
    c.mul_(5); // the copy changes, x does not
    expect(x.toArray()).toEqual([1, 2]);
    c.sum().backward();
    expect(x.grad!.toArray()).toEqual([5, 5]);
  });

  it('an int32 sum past int32 says so (PyTorch would widen to int64)', () => {
    expect(() => tensor([2 ** 31 - 1, 5], { dtype: 'int32' }).sum()).toThrow('sum: the int32 sum at output index 0 is 2147483652, outside int32 (PyTorch would return int64): sum x.float() instead');
  });

  it('detach and noGrad cut the graph', () => {
    const x = tensor([2], { requiresGrad: true });
    expect(x.detach().requiresGrad).toBe(false);
    expect(noGrad(() => x.mul(2)).requiresGrad).toBe(false);
    const y = x.mul(x.detach()).sum(); // the detached factor is a constant
    y.backward();
    expect(x.grad!.item()).toBe(2);
  });

  it('using releases a tensor at the end of the block', () => {
    let outer: Tensor | undefined;
    {
      using t = ones([1000]);
      outer = t;
      expect(t.sum().item()).toBe(1000);
    }
    expect(outer.isReleased).toBe(true);
  });
});

describe('dtype casts', () => {
  it('turns int32 labels into float32 targets and floats into int32 by truncation', () => {
    const labels = tensor([0, 1, 1], { dtype: 'int32' });
    const targets = labels.float();
    expect(targets.dtype).toBe('float32');
    expect(targets.toArray()).toEqual([0, 1, 1]);
    expect(tensor([1.9, -1.9, 2]).int().toArray()).toEqual([1, -1, 2]);
    expect(tensor([1.5]).to('int32').dtype).toBe('int32');
    const same = tensor([1]);
    expect(same.float()).toBe(same);
  });

  it('is cut from the graph and names values that do not fit', () => {
    const x = tensor([1.5, 2], { requiresGrad: true });
    expect(x.int().requiresGrad).toBe(false);
    expect(() => tensor([1, Number.NaN]).int()).toThrow('to: element 1 (NaN) does not fit in int32');
    expect(() => tensor([3e9]).int()).toThrow(/element 0 \(3000000000\) does not fit in int32/);
    expect(() => tensor([1]).to('float16' as never)).toThrow("to: unknown dtype 'float16'");
  });
});

describe('broadcasting', () => {
  /** a op b elementwise over the broadcast shape, computed in plain JavaScript by index arithmetic. */
  function expected(a: Tensor, b: Tensor, fn: (x: number, y: number) => number): number[] {
    const shape = a.rank >= b.rank ? [...a.shape] : [...b.shape];
    for (let i = 1; i <= Math.min(a.rank, b.rank); i++) shape[shape.length - i] = Math.max(a.shape[a.rank - i]!, b.shape[b.rank - i]!);
    const [av, bv] = [a.values(), b.values()];
    const at = (t: Tensor, index: number[]): number => t.shape.reduce((flat, d, k) => flat * d + (d === 1 ? 0 : index[index.length - t.rank + k]!), 0);
    const out: number[] = [];
    const index = shape.map(() => 0);
    for (let n = shape.reduce((p, d) => p * d, 1); n > 0; n--) {
      out.push(Math.fround(fn(av[at(a, index)]!, bv[at(b, index)]!)));
      for (let k = shape.length - 1; k >= 0 && ++index[k]! === shape[k]!; k--) index[k] = 0;
    }
    return out;
  }

  it('gives each operand its place, whichever repeats: rows, single values, leading ones, either side', () => {
    const pairs: [number[], number[]][] = [[[3, 4], [4]], [[4], [3, 4]], [[3, 4], []], [[], [3, 4]], [[3, 4], [1]], [[1, 1], [3, 4]], [[2, 3, 4], [1, 3, 4]], [[1, 1, 4], [2, 3, 4]], [[3, 1], [1, 4]]];
    let seed = 1;
    const values = (shape: number[]): Tensor => tensor(Array.from({ length: shape.reduce((p, d) => p * d, 1) }, () => ((seed = (seed * 48271) % 2147483647) % 1000) / 100 + 0.5), { shape });
    for (const [sa, sb] of pairs) {
      const [a, b] = [values(sa), values(sb)];
      expect(Array.from(a.sub(b).values()), `[${sa.join()}] - [${sb.join()}]`).toEqual(expected(a, b, (x, y) => x - y));
      expect(Array.from(a.div(b).values()), `[${sa.join()}] / [${sb.join()}]`).toEqual(expected(a, b, (x, y) => x / y));
    }
  });
});
