// The lecture's experiment: unit-Gaussian data through 10 layers of width 500 with a chosen initialiser and
// activation, and the distribution of every layer's activations (collapse to zero, saturation, or health).
import { manualSeed, noGrad, randn } from '@backprop/autograd';
import { Linear } from '@backprop/nn';
import { type ActivationName, activations, initialiseLinear } from '../choices';

export interface InitConfig {
  initialiser: string;
  activation: ActivationName;
  layers: number;
  width: number;
  samples: number;
  seed: number;
}

export interface LayerStats {
  mean: number;
  std: number;
  /** Share of activations in each of `bins` equal bins over `range` (values outside are counted at the ends). */
  histogram: number[];
}

export interface Simulation {
  range: [number, number];
  layers: LayerStats[];
}

const bounded: Partial<Record<ActivationName, [number, number]>> = { tanh: [-1, 1], sigmoid: [0, 1] };

export function simulate({ initialiser, activation, layers, width, samples, seed }: InitConfig, bins = 40): Simulation {
  if (!(activation in activations)) throw new RangeError(`unknown activation '${activation}' (${Object.keys(activations).join(', ')})`);
  manualSeed(seed);
  const outputs = noGrad(() => {
    let h = randn([samples, width]);
    const values: Float32Array[] = [];
    for (let l = 0; l < layers; l++) {
      const linear = new Linear(width, width);
      initialiseLinear(linear, initialiser, activation);
      h = activations[activation].make().forward(linear.forward(h));
      values.push(h.data() as Float32Array); // float32 by construction
    }
    return values;
  });
  const range = bounded[activation] ?? spread(outputs);
  return { range, layers: outputs.map((v) => stats(v, range, bins)) };
}

function spread(outputs: Float32Array[]): [number, number] {
  let lo = 0;
  let hi = 0;
  for (const v of outputs) {
    for (const x of v) {
      if (!Number.isFinite(x)) continue;
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
  }
  return hi > lo ? [lo, hi] : [lo - 1, hi + 1];
}

function stats(values: Float32Array, [lo, hi]: [number, number], bins: number): LayerStats {
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  const counts = new Array<number>(bins).fill(0);
  const width = (hi - lo) / bins;
  for (const v of values) counts[Math.min(bins - 1, Math.max(0, Math.floor((v - lo) / width)))]!++;
  return { mean, std: Math.sqrt(squares / values.length), histogram: counts.map((c) => c / values.length) };
}
