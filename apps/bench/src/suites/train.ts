import { lenetLayers, type Impl, type TrainCase, type TrainInputs } from '../cases';
import { seededRandom as random } from '@backprop/autograd';
import { b64, type External } from '../external';
import { runCase, type Result } from './run';

export function trainCases(quick: boolean): TrainCase[] {
  const cases: TrainCase[] = [
    { name: 'train tiny b4', model: 'mlp', sizes: [2, 4, 1], activation: 'tanh', batch: 4, optimizer: 'sgd', lr: 0.1, task: 'binary' },
    { name: 'train digits b64', model: 'mlp', sizes: [64, 128, 128, 128, 10], activation: 'relu', batch: 64, optimizer: 'adam', lr: 1e-3, task: 'multiclass' },
    { name: 'train mnist-mlp b128', model: 'mlp', sizes: [784, 256, 128, 10], activation: 'relu', batch: 128, optimizer: 'adam', lr: 1e-3, task: 'multiclass' },
    { name: 'train lenet b64', model: 'lenet', sizes: [784, 10], activation: 'relu', batch: 64, optimizer: 'adam', lr: 1e-3, task: 'multiclass' },
  ];
  return quick ? [cases[0]!, cases[2]!, cases[3]!] : cases;
}

/** PyTorch's default init, U(-1/sqrt(fanIn), 1/sqrt(fanIn)), from a fixed seed; XOR-like targets. */
export function inputsFor(c: TrainCase): TrainInputs {
  const next = random(c.sizes.reduce((a, b) => a * 31 + b, c.batch) + (c.model === 'lenet' ? 7 : 0));
  const uniform = (n: number, bound: number): Float32Array => Float32Array.from({ length: n }, () => (2 * next() - 1) * bound);
  // [out, fanIn] per layer: Linear layers of sizes, or LeNet's (a convolution's fanIn is in x kh x kw).
  const layers = c.model === 'lenet'
    ? lenetLayers.map((l) => [l.out, l.kind === 'conv' ? l.in * l.k * l.k : l.in] as const)
    : c.sizes.slice(1).map((out, i) => [out, c.sizes[i]!] as const);
  const weights = layers.map(([out, fanIn]) => uniform(out * fanIn, 1 / Math.sqrt(fanIn)));
  const biases = layers.map(([out, fanIn]) => uniform(out, 1 / Math.sqrt(fanIn)));
  const x = uniform(c.batch * c.sizes[0]!, 1);
  const classes = c.sizes[c.sizes.length - 1]!;
  const y = Float32Array.from({ length: c.batch }, (_, i) =>
    c.task === 'binary' ? (x[i * c.sizes[0]!]! * (x[i * c.sizes[0]! + 1] ?? 1) > 0 ? 1 : 0) : Math.floor(next() * classes));
  return { weights, biases, x, y };
}

export async function trainSuite(impls: Impl[], quick: boolean, externals: External[] = []): Promise<Result[]> {
  const results: Result[] = [];
  for (const c of trainCases(quick)) {
    const inputs = inputsFor(c);
    results.push(
      ...(await runCase(
        {
          suite: 'train',
          name: c.name,
          prepare: (impl) => impl.train?.(c, inputs),
          rates: (ms) => ({ samplesPerSec: (c.batch * 1000) / ms }),
          spec: () => ({ ...c, weights: inputs.weights.map(b64), biases: inputs.biases.map(b64), x: b64(inputs.x), y: b64(inputs.y) }),
        },
        impls,
        quick,
        externals,
      )),
    );
  }
  return results;
}
