// The ONNX Runtime and jax-js peers compute what the cases say, on shapes small enough to check by hand.
import { noGrad, tensor } from '@backprop/autograd';
import { exportOnnx, Linear, ReLU, Sequential, Standardize } from '@backprop/nn';
import { describe, expect, it } from 'vitest';
import type { GemmCase, InferenceCase, Prepared, TrainCase } from '../cases';
import { inputsFor } from '../suites/train';
import { backpropTrain } from './backprop-train';
import { jax } from './jax';
import { b64 } from '../external';
import { onnxRuntime } from './ort';
import { ortThreads } from './ort-threads';

async function once(prepared: Prepared | undefined): Promise<Float32Array> {
  const p = prepared!;
  await p.activate?.();
  await p.run();
  const out = p.output();
  p.dispose();
  return out;
}

// A (stored 3 x 2 for transA) and B (stored 2 x 3 for transB): C = A^T B^T is 2 x 2.
const gemm: GemmCase = { name: 'g', M: 2, N: 2, K: 3, transA: true, transB: true };
const a = Float32Array.of(1, 2, 3, 4, 5, 6); // A^T = [[1, 3, 5], [2, 4, 6]]
const b = Float32Array.of(1, 0, -1, 2, 1, 0); // B^T = [[1, 2], [0, 1], [-1, 0]]
const product = [1 - 5, 2 + 3, 2 - 6, 4 + 4];

describe('the onnxruntime-web peer', () => {
  it('runs a Gemm graph with both transposes', async () => {
    expect(Array.from(await once(onnxRuntime().gemm!(gemm, a, b)))).toEqual(product);
  });

  it('runs a standardise -> linear -> relu -> linear model as exportOnnx writes it', async () => {
    const net = new Sequential(new Standardize(2), new Linear(2, 2), new ReLU(), new Linear(2, 1));
    noGrad(() => {
      for (const [key, values] of [['0.mean', [1, 1]], ['0.std', [2, 0.5]], ['1.weight', [1, 0, 0, -1]], ['1.bias', [0, 1]], ['3.weight', [1, 1]], ['3.bias', [0.5]]] as const) {
        const t = net.stateDict().get(key)!;
        t.copy_(tensor(Float32Array.from(values), { shape: [...t.shape] }));
      }
    });
    const c: InferenceCase = { name: 'i', model: 'm', batch: 2, features: 2, layers: [], onnx: exportOnnx(net, { inputShape: [1, 2] }) };
    // x = (3, 1): z = (1, 0) -> (1, 1) -> relu (1, 1) -> 2.5;  x = (1, 2): z = (0, 2) -> (0, -1) -> (0, 0) -> 0.5
    expect(Array.from(await once(onnxRuntime().inference!(c, Float32Array.of(3, 1, 1, 2))))).toEqual([2.5, 0.5]);
  });
});

describe('the ort-wasm-t2 column: onnxruntime-web on two threads in a process of its own', () => {
  const spec = { M: gemm.M, N: gemm.N, K: gemm.K, transA: true, transB: true, a: b64(a), b: b64(b) };

  it('times a GEMM case sent as the suite\'s spec and returns its product', () => {
    const measured = ortThreads(2).run('gemm', spec, true)!;
    expect(Array.from(measured.output)).toEqual(product);
    expect(measured.timing.samples).toBe(5);
    expect(measured.timing.medianMs).toBeGreaterThan(0);
  });

  it('sits out what it does not run: other suites and the convolution cases', () => {
    expect(ortThreads(2).run('train', spec, true)).toBeUndefined();
    expect(ortThreads(2).run('gemm', { images: 1, channels: 1 }, true)).toBeUndefined();
  });
});

describe('the jax-js peer', () => {
  it('jits a matmul with both transposes', async () => {
    expect(Array.from(await once((await jax()).gemm!(gemm, a, b)))).toEqual(product);
  });

  it('takes SGD steps whose losses fall, starting from the shared weights', async () => {
    const c: TrainCase = { name: 't', model: 'mlp', sizes: [2, 1], activation: 'tanh', batch: 2, optimizer: 'sgd', lr: 0.5, task: 'binary' };
    const losses = await once((await jax()).train!(c, { weights: [Float32Array.of(0, 0)], biases: [Float32Array.of(0)], x: Float32Array.of(1, 1, -1, -1), y: Float32Array.of(1, 0) }));
    expect(losses[0]).toBeCloseTo(Math.log(2), 6); // all-zero weights: p = 0.5 for both samples
    // d loss / d w = mean((sigmoid(z) - y) x) = ((0.5 - 1)(1, 1) + (0.5 - 0)(-1, -1)) / 2 = (-0.5, -0.5): w becomes (0.25, 0.25)
    const z = 0.5;
    expect(losses[1]).toBeCloseTo((Math.log1p(Math.exp(-z)) + Math.log1p(Math.exp(-z))) / 2, 6);
    expect(losses[2]).toBeLessThan(losses[1]!);
  });

  it('trains the LeNet step (convolutions, pooling, Adam) as backprop does, from the same weights', async () => {
    const c: TrainCase = { name: 'l', model: 'lenet', sizes: [784, 10], activation: 'relu', batch: 4, optimizer: 'adam', lr: 1e-3, task: 'multiclass' };
    const inputs = inputsFor(c);
    const want = await once(backpropTrain(c, inputs));
    const got = await once((await jax()).train!(c, inputs));
    expect(got).toHaveLength(3);
    for (let i = 0; i < 3; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThan(1e-4 * Math.abs(want[i]!));
    expect(got[2]).toBeLessThan(got[0]!);
  });
});
