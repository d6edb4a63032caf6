import type { Impl, TrainCase, TrainInputs } from '../cases';
import { seededRandom as random } from '@backprop/autograd';
import { b64, type External } from '../external';
import { runCase, type Result } from './run';

export function trainCases(quick: boolean): TrainCase[] {
  const cases: TrainCase[] = [
    { name: 'train tiny b4', sizes: [2, 4, 1], activation: 'tanh', batch: 4, optimizer: 'sgd', lr: 0.1, task: 'binary' },
    { name: 'train digits b64', sizes: [64, 128, 128, 128, 10], activation: 'relu', batch: 64, optimizer: 'adam', lr: 1e-3, task: 'multiclass' },
    { name: 'train mnist-mlp b128', sizes: [784, 256, 128, 10], activation: 'relu', batch: 128, optimizer: 'adam', lr: 1e-3, task: 'multiclass' },
  ];
  return quick ? [cases[0]!, cases[2]!] : cases;
}

/** PyTorch's default Linear init, U(-1/sqrt(in), 1/sqrt(in)), from a fixed seed; XOR-like targets. */
function inputsFor(c: TrainCase): TrainInputs {
  const next = random(c.sizes.reduce((a, b) => a * 31 + b, c.batch));
  const uniform = (n: number, bound: number): Float32Array => Float32Array.from({ length: n }, () => (2 * next() - 1) * bound);
  const weights = c.sizes.slice(1).map((out, i) => uniform(out * c.sizes[i]!, 1 / Math.sqrt(c.sizes[i]!)));
  const biases = c.sizes.slice(1).map((out, i) => uniform(out, 1 / Math.sqrt(c.sizes[i]!)));
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
