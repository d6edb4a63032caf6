// Every case of core.json (PyTorch 1.13, float64): ops on any rank and axes, their values and the gradients of
// every float input, through the float32 kernels.
import { describe, expect, it } from 'vitest';
import core from './__fixtures__/core.json';
import { concat, pad, stack, tensor, where, type NestedArray, type Tensor } from './index';
import { flat, shapeOf } from './testing';

interface CoreCase {
  op: string;
  params: Record<string, unknown>;
  inputs: Record<string, NestedArray>;
  intInputs: string[];
  upstream: NestedArray;
  y: NestedArray;
  grads: Record<string, NestedArray>;
}

function apply(c: CoreCase, t: Record<string, Tensor>): Tensor {
  const p = c.params as { axes: number[]; axis: number; dim0: number; dim1: number; keepDims: boolean; correction: number; startDim: number; endDim: number; shape: number[]; start: number; length: number; pads: number[]; value: number };
  const listed = Object.keys(t).filter((k) => /^t\d+$/.test(k)).sort().map((k) => t[k]!);
  switch (c.op) {
    case 'matmul': return t.a!.matmul(t.b!);
    case 'permute': return t.a!.permute(p.axes);
    case 'transpose': return t.a!.transpose(p.dim0, p.dim1);
    case 'sum': return t.a!.sum(p.axes, p.keepDims);
    case 'mean': return t.a!.mean(p.axes, p.keepDims);
    case 'var': return t.a!.var(p.axes, { correction: p.correction, keepDims: p.keepDims });
    case 'std': return t.a!.std(p.axes, { correction: p.correction, keepDims: p.keepDims });
    case 'where': return where(t.cond!, t.a!, t.b!);
    case 'unsqueeze': return t.a!.unsqueeze(p.axis);
    case 'squeeze': return t.a!.squeeze(p.axis);
    case 'flatten': return t.a!.flatten(p.startDim, p.endDim);
    case 'expand': return t.a!.expand(p.shape);
    case 'narrow': return t.a!.narrow(p.axis, p.start, p.length);
    case 'pad': return pad(t.a!, p.pads, { value: p.value });
    case 'concat': return concat(listed, p.axis);
    case 'stack': return stack(listed, p.axis);
    case 'gather': return t.a!.gather(p.axis, t.index!);
    default: throw new Error(`no mapping for op ${c.op}`);
  }
}

/** core.json's tolerance: |got - want| <= 1e-5 max(1, max |want|) + 1e-4 |want|. */
function expectNear(got: Tensor, want: NestedArray, label: string): void {
  const w = flat(want);
  const g = Array.from(got.values());
  expect(g.length, `${label}: size`).toBe(w.length);
  const scale = Math.max(1, ...w.map(Math.abs));
  g.forEach((v, i) => {
    if (!(Math.abs(v - w[i]!) <= 1e-5 * scale + 1e-4 * Math.abs(w[i]!))) expect.fail(`${label}: element ${i} is ${v}, want ${w[i]}`);
  });
}

describe('core.json: ops on any rank and axes match PyTorch, values and gradients', () => {
  (core.cases as unknown as CoreCase[]).forEach((c, i) => {
    it(`#${i} ${c.op} ${JSON.stringify(c.params)}`, () => {
      const t = Object.fromEntries(Object.entries(c.inputs).map(([name, data]) => {
        if (c.intInputs.includes(name)) return [name, tensor(data, { dtype: 'int32' })];
        return [name, tensor(data, { requiresGrad: name in c.grads })];
      }));
      const y = apply(c, t);
      expectNear(y, c.y, 'y');
      expect([...y.shape]).toEqual(shapeOf(c.y));
      y.backward(tensor(c.upstream));
      for (const [name, want] of Object.entries(c.grads)) {
        expect(t[name]!.grad, `grad of ${name}`).not.toBeNull();
        expectNear(t[name]!.grad!, want, `grad of ${name}`);
      }
    });
  });
});
