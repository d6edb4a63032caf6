// Every case of the PyTorch 1.13 reference values (__fixtures__/README.md) through the float32 kernels.
import { describe, expect, it } from 'vitest';
import activations from './__fixtures__/activations.json';
import lecture from './__fixtures__/lecture_examples.json';
import ops from './__fixtures__/ops.json';
import { tensor, type Tensor, type NestedArray } from './index';
import { expectClose } from './testing';

interface OpCase { op: string; params?: Record<string, unknown>; a: NestedArray; b?: NestedArray; upstream: NestedArray; y: NestedArray; da: NestedArray; db?: NestedArray }

function apply(c: OpCase, a: Tensor, b: Tensor | undefined): Tensor {
  const p = c.params ?? {};
  const axis = p.axis as number | undefined;
  const keepDims = (p.keepDims as boolean | undefined) ?? false;
  switch (c.op) {
    case 'add': return a.add(b!);
    case 'sub': return a.sub(b!);
    case 'mul': return a.mul(b!);
    case 'div': return a.div(b!);
    case 'matmul': return a.matmul(b!);
    case 'exp': return a.exp();
    case 'log': return a.log();
    case 'neg': return a.neg();
    case 'square': return a.square();
    case 'sqrt': return a.sqrt();
    case 'pow': return a.pow(p.exponent as number);
    case 'sum': return a.sum(axis, keepDims);
    case 'mean': return a.mean(axis, keepDims);
    case 'transpose': return a.transpose();
    case 'reshape': return a.reshape(p.shape as number[]);
    case 'softmax': return a.softmax(axis!);
    case 'logSoftmax': return a.logSoftmax(axis!);
    default: throw new Error(`no golden mapping for op ${c.op}`);
  }
}

describe('ops.json: values and gradients match PyTorch', () => {
  (ops.cases as OpCase[]).forEach((c, i) => {
    it(`#${i} ${c.op} ${JSON.stringify(c.params ?? {})}`, () => {
      const a = tensor(c.a, { requiresGrad: true });
      const b = c.b === undefined ? undefined : tensor(c.b, { requiresGrad: true });
      const y = apply(c, a, b);
      expectClose(y, c.y, 'y');
      y.backward(c.upstream);
      expectClose(a.grad, c.da, 'da');
      if (c.db !== undefined) expectClose(b!.grad, c.db, 'db');
    });
  });
});

interface ActivationCase { name: string; params: Record<string, number>; x: NestedArray; upstream: NestedArray; y: NestedArray; dx: NestedArray; dalpha?: NestedArray }

describe('activations.json: the seven activations and their derivatives match PyTorch', () => {
  (activations.cases as ActivationCase[]).forEach((c) => {
    it(`${c.name} ${JSON.stringify(c.params)}`, () => {
      const x = tensor(c.x, { requiresGrad: true });
      const alpha = tensor([c.params.alpha ?? 0.25], { requiresGrad: true });
      const y = {
        sigmoid: () => x.sigmoid(), tanh: () => x.tanh(), relu: () => x.relu(), softplus: () => x.softplus(),
        leakyRelu: () => x.leakyRelu(c.params.negativeSlope), elu: () => x.elu(c.params.alpha), prelu: () => x.prelu(alpha),
      }[c.name]!();
      expectClose(y, c.y, 'y');
      y.backward(c.upstream);
      expectClose(x.grad, c.dx, 'dx');
      if (c.dalpha !== undefined) expectClose(alpha.grad, c.dalpha, 'dalpha');
    });
  });
});

describe('lecture_examples.json: the two worked examples', () => {
  it('f = (x + y) * z at (-2, 5, -4): f = -12, gradients -4, -4, 3', () => {
    const c = lecture.cases[0]!;
    const [x, y, z] = (['x', 'y', 'z'] as const).map((k) => tensor((c.inputs as unknown as Record<string, number>)[k]!, { requiresGrad: true }));
    const f = x!.add(y!).mul(z!);
    expect(f.item()).toBe(c.f);
    f.backward();
    expect([x!.grad!.item(), y!.grad!.item(), z!.grad!.item()]).toEqual([c.grads.x, c.grads.y, c.grads.z]);
  });

  it('the sigmoid neuron 1 / (1 + exp(-(w0 x0 + w1 x1 + w2)))', () => {
    const c = lecture.cases[1]!;
    const inputs = c.inputs as { w: number[]; x: number[] };
    const w = tensor(inputs.w, { requiresGrad: true });
    const x = tensor(inputs.x, { requiresGrad: true });
    // Written as in the lecture, primitive by primitive: the dot product, the bias, then 1 / (1 + e^-z).
    const z = w.slice(0, 2).mul(x).sum().add(w.slice(2, 3).sum());
    const f = tensor(1).div(z.neg().exp().add(1));
    expect(f.item()).toBeCloseTo(c.f, 6);
    f.backward();
    expectClose(w.grad, (c.grads as { w: number[] }).w, 'dw');
    expectClose(x.grad, (c.grads as { x: number[] }).x, 'dx');
    // The same through the fused sigmoid.
    w.zeroGrad();
    const g = w.slice(0, 2).mul(x).sum().add(w.slice(2, 3).sum()).sigmoid();
    g.backward();
    expectClose(w.grad, (c.grads as { w: number[] }).w, 'dw (sigmoid)');
  });
});
