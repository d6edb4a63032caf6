// Every op of the table, each against its claims: its kernels are WASM exports with TypeScript references and
// run when the op does; the reference backend (float64, the references) computes what the wasm backend does;
// a differentiable op passes gradcheck, and records its own backward where it says so. The examples are
// typed by the table, so an op without one does not compile.
import { kernelReferences, kernels, type KernelName } from '@backprop/kernels';
import { describe, expect, it } from 'vitest';
import { WasmBackend } from './backends/wasm';
import * as ops from './index';
import { exportGraph, gradcheck, noGrad, opTable, referenceBackend, seededRandom, tensor, withBackend, type NestedArray, type OpName, type Tensor } from './index';
import { expectClose, randomNested } from './testing';

const random = seededRandom(2024);
const r = (shape: number[], lo?: number, hi?: number, avoid?: number): NestedArray => randomNested(random, shape, lo, hi, avoid);
const int = (values: NestedArray): Tensor => tensor(values, { dtype: 'int32' });

/**
 * An op applied to inputs (float32 tensors made from the arrays; int32 arguments are made inside `call`), and
 * optionally what PyTorch 1.13 computes (the comment beside each says how it was obtained).
 */
interface Example {
  readonly call: (...xs: Tensor[]) => Tensor;
  readonly inputs: readonly NestedArray[];
  readonly pytorch?: NestedArray;
}
const on = (inputs: NestedArray[], call: (...xs: Tensor[]) => Tensor, pytorch?: NestedArray): Example => ({ call, inputs, ...(pytorch ? { pytorch } : {}) });
/** The input of the examples checked against PyTorch. */
const x5 = [-3, -0.5, 0.1, 0.25, 2];

const examples: { readonly [K in OpName]: readonly Example[] } = {
  neg: [on([r([5])], (a) => ops.neg(a))],
  abs: [on([r([6], -2, 2, 0)], (a) => ops.abs(a))],
  square: [on([r([5])], (a) => ops.square(a))],
  sqrt: [on([r([5], 0.2, 3)], (a) => ops.sqrt(a))],
  exp: [on([r([5])], (a) => ops.exp(a))],
  log: [on([r([5], 0.2, 3)], (a) => ops.log(a))],
  pow: [on([r([5], 0.3, 2)], (a) => ops.pow(a, 3)), on([r([5], 0.3, 2)], (a) => ops.pow(a, -1.5))],
  sigmoid: [on([r([6], -5, 5)], (a) => ops.sigmoid(a))],
  tanh: [on([r([6], -3, 3)], (a) => ops.tanh(a))],
  relu: [on([r([8], -2, 2, 0)], (a) => ops.relu(a))],
  // F.leaky_relu(torch.tensor(x5), 0.2), F.elu(torch.tensor(x5), 0.7), F.softplus(torch.tensor(x5))
  leakyRelu: [on([r([8], -2, 2, 0)], (a) => ops.leakyRelu(a, 0.2)), on([x5], (a) => ops.leakyRelu(a, 0.2), [-0.6, -0.1, 0.1, 0.25, 2])],
  elu: [on([r([8], -2, 2, 0)], (a) => ops.elu(a, 0.7)), on([x5], (a) => ops.elu(a, 0.7), [-0.665149, -0.2754285, 0.1, 0.25, 2])],
  softplus: [on([r([8], -5, 5)], (a) => ops.softplus(a)), on([x5], (a) => ops.softplus(a), [0.0485874, 0.474077, 0.7443967, 0.8259394, 2.1269281])],
  prelu: [on([r([3, 4], -2, 2, 0), [0.25]], (a, w) => ops.prelu(a, w)), on([r([2, 3, 4], -2, 2, 0), [0.1, 0.2, 0.3]], (a, w) => ops.prelu(a, w))],
  add: [on([r([3, 4]), r([4])], (a, b) => ops.add(a, b)), on([r([2, 3, 4]), r([2, 1, 4])], (a, b) => ops.add(a, b)), on([r([5])], (a) => ops.add(a, 2))],
  sub: [on([r([3, 4]), r([3, 1])], (a, b) => ops.sub(a, b)), on([r([5])], (a) => ops.sub(a, 0.5))],
  mul: [on([r([2, 3]), r([3])], (a, b) => ops.mul(a, b)), on([r([5])], (a) => ops.mul(a, -3))],
  div: [on([r([2, 3]), r([3], 0.5, 2)], (a, b) => ops.div(a, b)), on([r([5])], (a) => ops.div(a, 1.5))],
  maximum: [on([r([4, 3]), r([3])], (a, b) => ops.maximum(a, b))],
  minimum: [on([r([6], -2, 2, 0.3)], (a) => ops.minimum(a, 0.3))],
  eq: [on([[1, 2, 3, 4], [1, 5, 3, 0]], (a, b) => ops.eq(a, b))],
  ne: [on([[1, 2, 3, 4], [1, 5, 3, 0]], (a, b) => ops.ne(a, b))],
  lt: [on([[1, 2, 3, 4], [1, 5, 3, 0]], (a, b) => ops.lt(a, b))],
  le: [on([[1, 2, 3, 4], [1, 5, 3, 0]], (a, b) => ops.le(a, b))],
  gt: [on([[1, 2, 3, 4], [1, 5, 3, 0]], (a, b) => ops.gt(a, b))],
  ge: [on([[1, 2, 3, 4]], (a) => ops.ge(a, 3))],
  matmul: [
    on([r([3, 5]), r([5, 2])], (a, b) => ops.matmul(a, b)),
    on([r([2, 1, 3, 4]), r([3, 4, 3])], (a, b) => ops.matmul(a, b)),
    on([r([4]), r([4, 3])], (a, b) => ops.matmul(a, b)),
  ],
  linear: [
    on([r([4, 3]), r([5, 3]), r([5])], (x, w, b) => ops.linear(x, w, b)), on([r([2, 2, 3]), r([4, 3])], (x, w) => ops.linear(x, w)),
    // with an activation in the op: on the packed GEMM (4 rows) and the few-rows one
    on([r([4, 3]), r([5, 3]), r([5])], (x, w, b) => ops.linear(x, w, b, { activation: 'relu' })),
    on([r([1, 3]), r([5, 3]), r([5])], (x, w, b) => ops.linear(x, w, b, { activation: 'tanh' })),
    on([r([2, 2, 3]), r([4, 3])], (x, w) => ops.linear(x, w, null, { activation: 'sigmoid' })),
  ],
  sum: [on([r([3, 4])], (a) => ops.sum(a, 1)), on([r([2, 3, 4])], (a) => ops.sum(a, [0, 2]))],
  mean: [on([r([3, 4])], (a) => ops.mean(a, 0, true))],
  max: [on([r([3, 4])], (a) => ops.max(a, 1))],
  min: [on([r([2, 3, 4])], (a) => ops.min(a, [1, 2], true))],
  variance: [on([r([3, 5])], (a) => ops.variance(a, [1]))],
  std: [on([r([3, 5])], (a) => ops.std(a, [0, 1], { correction: 0 }))],
  argmax: [on([r([3, 4])], (a) => ops.argmax(a, 1))],
  argmin: [on([r([3, 4])], (a) => ops.argmin(a, 0))],
  softmax: [on([r([3, 4])], (a) => ops.softmax(a, -1)), on([r([3, 4])], (a) => ops.softmax(a, 0))],
  logSoftmax: [on([r([3, 2, 2])], (a) => ops.logSoftmax(a, 1))],
  where: [on([r([3, 4]), r([4])], (a, b) => ops.where(ops.gt(a, 0), a, b)), on([r([3, 4])], (a) => ops.where(ops.lt(a, 0.5), 0, a))],
  pad: [on([r([2, 3, 4])], (a) => ops.pad(a, [1, 2, -1, 1], { value: 0.5 }))],
  gather: [on([r([3, 4])], (a) => ops.gather(a, 1, int([[0, 2], [1, 1], [3, 0]])))],
  scatterAdd: [on([r([3, 4]), r([2, 4])], (a, s) => ops.scatterAdd(a, 0, int([[2, 0, 1, 1], [2, 2, 0, 1]]), s))],
  unfold: [on([r([2, 3, 5, 4])], (a) => ops.unfold(a, [2, 3], { stride: [2, 1], padding: 1, dilation: [1, 2] }))],
  conv2d: [
    on([r([2, 3, 5, 4]), r([4, 3, 3, 2]), r([4])], (x, w, b) => ops.conv2d(x, w, b, { padding: [1, 0], stride: [1, 2] })),
    on([r([2, 4, 5, 5]), r([6, 2, 3, 3])], (x, w) => ops.conv2d(x, w, null, { groups: 2, padding: 1, stride: 2, dilation: [2, 1] })),
    // Stride 1, few channels: dx by columns and col2im.
    on([r([2, 4, 6, 5]), r([6, 2, 3, 2]), r([6])], (x, w, b) => ops.conv2d(x, w, b, { groups: 2, padding: [2, 1], dilation: [2, 1] })),
    // Stride 1, 5 output channels: the direct forward kernel.
    on([r([2, 2, 6, 7]), r([5, 2, 3, 3]), r([5])], (x, w, b) => ops.conv2d(x, w, b, { padding: 1 })),
    // Stride 1, 16 channels: dx as a full convolution with the flipped weight.
    on([r([1, 16, 4, 5]), r([8, 16, 3, 3]), r([8])], (x, w, b) => ops.conv2d(x, w, b, { padding: 1 })),
    // Depthwise (one kernel per channel): the direct kernel, at stride 1 and 2.
    on([r([2, 3, 6, 7]), r([3, 1, 3, 2]), r([3])], (x, w, b) => ops.conv2d(x, w, b, { groups: 3, padding: 1, dilation: [1, 2] })),
    on([r([1, 3, 7, 6]), r([3, 1, 3, 3])], (x, w) => ops.conv2d(x, w, null, { groups: 3, padding: 1, stride: 2 })),
  ],
  maxPool2d: [on([r([2, 3, 6, 5])], (a) => ops.maxPool2d(a, 3, { stride: 2, padding: 1 })), on([r([1, 2, 4, 4])], (a) => ops.maxPool2d(a, 2)), on([r([1, 2, 5, 7])], (a) => ops.maxPool2d(a, 2, { ceilMode: true }))],
  adaptiveAvgPool2d: [on([r([2, 3, 7, 5])], (a) => ops.adaptiveAvgPool2d(a, [3, 2])), on([r([1, 2, 6, 4])], (a) => ops.adaptiveAvgPool2d(a, [null, 2])), on([r([1, 2, 3, 5])], (a) => ops.adaptiveAvgPool2d(a, 1))],
  avgPool2d: [on([r([2, 3, 6, 5])], (a) => ops.avgPool2d(a, 3, { stride: 2, padding: 1, countIncludePad: false })), on([r([1, 2, 4, 4])], (a) => ops.avgPool2d(a, [2, 1])), on([r([1, 2, 6, 5])], (a) => ops.avgPool2d(a, 3, { stride: 2, padding: 1, ceilMode: true }))],
  batchNorm: [
    on([r([4, 3, 2, 2]), r([3]), r([3])], (x, w, b) => ops.batchNorm(x, null, null, w, b, { training: true })),
    on([r([3, 2, 3])], (x) => ops.batchNorm(x, null, null, null, null, { training: true })),
    on([r([5, 3]), r([3]), r([3])], (x, w, b) => ops.batchNorm(x, tensor([0.5, -1, 2]), tensor([0.5, 1.5, 2]), w, b, { eps: 0.01 })),
    // Evaluation with only the input differentiated: dx = dy invstd w, without the backward's two sums.
    on([r([4, 3, 2])], (x) => ops.batchNorm(x, tensor([0.5, -1, 2]), tensor([0.5, 1.5, 2]), tensor([2, -0.5, 1]), null)),
  ],
  layerNorm: [on([r([3, 4, 5]), r([4, 5]), r([4, 5])], (x, w, b) => ops.layerNorm(x, [4, 5], w, b)), on([r([2, 6])], (x) => ops.layerNorm(x, 6))],
  embedding: [on([r([5, 3])], (w) => ops.embedding(int([[1, 4], [1, 0]]), w))],
  indexSelect: [on([r([4, 3])], (a) => ops.indexSelect(a, [2, 0, 2, 3])), on([r([2, 3])], (a) => ops.indexSelect(a, [1, 1, 0], 1))],
  reshape: [on([r([3, 4])], (a) => ops.reshape(a, [2, -1]))],
  flatten: [on([r([2, 3, 2])], (a) => ops.flatten(a, 1))],
  unsqueeze: [on([r([3, 4])], (a) => ops.unsqueeze(a, 1))],
  squeeze: [on([r([3, 1, 4])], (a) => ops.squeeze(a))],
  permute: [on([r([2, 3, 4])], (a) => ops.permute(a, [2, 0, 1]))],
  transpose: [on([r([3, 5])], (a) => ops.transpose(a)), on([r([2, 3, 4])], (a) => ops.transpose(a, 0, 2))],
  expand: [on([r([2, 4])], (a) => ops.expand(a, [3, 2, 4]))],
  narrow: [on([r([4, 5])], (a) => ops.narrow(a, 1, 1, 3))],
  slice: [on([r([4, 3])], (a) => ops.slice(a, 1, 3))],
  contiguous: [on([r([3, 4])], (a) => ops.contiguous(ops.transpose(a)))],
  clone: [on([r([3, 4])], (a) => ops.clone(a))],
  concat: [on([r([3, 2]), r([4, 2])], (a, b) => ops.concat([a, b], 0)), on([r([3, 2]), r([3, 1])], (a, b) => ops.concat([a, b], 1))],
  stack: [on([r([3, 2]), r([3, 2])], (a, b) => ops.stack([a, b], 1))],
  to: [on([r([4], -5, 5)], (a) => ops.to(a, 'int32'))],
  binaryCrossEntropy: [on([r([6], 0.05, 0.95), [0, 1, 1, 0, 1, 0]], (p, t) => ops.binaryCrossEntropy(p, t))],
  binaryCrossEntropyWithLogits: [on([r([6], -4, 4), [0, 1, 1, 0, 1, 0]], (x, t) => ops.binaryCrossEntropyWithLogits(x, t, 'sum'))],
  mseLoss: [on([r([5]), r([5])], (x, t) => ops.mseLoss(x, t, 'none'))],
  crossEntropy: [
    on([r([4, 3], -3, 3)], (x) => ops.crossEntropy(x, int([2, 0, 1, 2]))),
    on([r([3, 4], -3, 3)], (x) => ops.crossEntropy(x, int([2, -100, 1]), 'sum')),
  ],
  nllLoss: [on([r([3, 4], -3, 0)], (x) => ops.nllLoss(x, int([1, 0, 3])))],
};

/** A wasm backend whose kernels note the name of every WASM export they call. */
function recordingBackend(called: Set<string>): WasmBackend {
  const exports = new Proxy(kernels.wasm, {
    get(target, name): unknown {
      if (typeof name === 'string') called.add(name);
      return Reflect.get(target, name) as unknown;
    },
  });
  // The kernels' methods run with this proxy as `this`, so their calls through this.wasm are seen.
  const recording: typeof kernels = new Proxy(kernels, {
    get: (target, name) => (name === 'wasm' ? exports : Reflect.get(target, name, recording) as unknown),
  });
  return new WasmBackend(recording);
}

describe('the op table', () => {
  it('holds every op the package exports, each under its own name', () => {
    expect(Object.keys(opTable).sort()).toEqual(Object.keys(examples).sort());
    for (const [name, op] of Object.entries(opTable)) expect(op.op.name, name).toBe(name);
  });
});

for (const [name, op] of Object.entries(opTable) as [OpName, (typeof opTable)[OpName]][]) {
  const { gradient, kernels: claimed } = op.op;
  describe(`${name} (${gradient} gradient${claimed.length > 0 ? `, kernels ${claimed.join(', ')}` : ''})`, () => {
    it('names kernels that the WASM module exports and that have a TypeScript reference', () => {
      for (const kernel of claimed) {
        expect(typeof (kernels.wasm as unknown as Record<string, unknown>)[kernel], kernel).toBe('function');
        expect(typeof kernelReferences[kernel as KernelName], kernel).toBe('function');
      }
    });

    it('runs its kernels on the wasm backend, and computes what the reference backend (and PyTorch, where given) computes', () => {
      for (const { call, inputs, pytorch } of examples[name]) {
        const called = new Set<string>();
        const got = withBackend(recordingBackend(called), () => {
          const xs = inputs.map((values) => tensor(values, { requiresGrad: gradient !== 'none' }));
          const y = call(...xs);
          if (y.requiresGrad) y.sum().backward();
          return { values: Array.from(y.values()), shape: [...y.shape], dtype: y.dtype };
        });
        if (claimed.length > 0) expect(claimed.filter((k) => called.has(k)), `kernels called: ${[...called].join(', ')}`).not.toEqual([]);
        const want = withBackend(referenceBackend, () => noGrad(() => call(...inputs.map((values) => tensor(values)))));
        expect(got.shape).toEqual([...want.shape]);
        expect(got.dtype).toBe(want.dtype);
        const w = Array.from(want.values());
        got.values.forEach((g, i) => expect(Math.abs(g - w[i]!), `element ${i}: ${g} vs ${w[i]}`).toBeLessThanOrEqual(1e-5 + 1e-4 * Math.abs(w[i]!)));
        if (pytorch !== undefined) expectClose(want, pytorch, `${name} against PyTorch`);
      }
    });

    if (gradient === 'none') {
      it('gives no gradient: the result does not require grad, whatever its inputs', () => {
        for (const { call, inputs } of examples[name]) {
          expect(call(...inputs.map((values) => tensor(values, { requiresGrad: true }))).requiresGrad).toBe(false);
        }
      });
    } else {
      it(`passes gradcheck, ${gradient === 'recorded' ? 'with its own node in the graph' : 'through the ops it is composed of'}`, () => {
        for (const { call, inputs } of examples[name]) {
          const result = gradcheck(call, inputs);
          expect(result.passed, JSON.stringify(result.worst)).toBe(true);
          const y = call(...inputs.map((values) => tensor(values, { requiresGrad: true })));
          expect(y.requiresGrad).toBe(true);
          const nodes = exportGraph(y).nodes.map((n) => n.op);
          if (gradient === 'recorded') expect(nodes, nodes.join(', ')).toContain(name);
          else expect(nodes, nodes.join(', ')).not.toContain(name);
        }
      });
    }
  });
}
