// The playground's data: @backprop/data's TensorFlow Playground sets, split by @backprop/data, as plain points
// the page can draw. noise is the standard deviation of the Gaussian jitter (the slider's 0-50% maps to 0-1.5).
import { type Tensor } from '@backprop/autograd';
import { circles, gaussians, spiral, trainTestSplit, xor } from '@backprop/data';

export interface Point { x: number; y: number; label: 0 | 1 }
const generators = { circle: circles, xor, gaussian: gaussians, spiral };
export type DatasetName = keyof typeof generators;
export const datasetNames = Object.keys(generators) as DatasetName[];

function toPoints({ x, y }: { x: Tensor; y: Tensor }): Point[] {
  const xs = x.data();
  const labels = y.values();
  const points = Array.from(labels, (label, i): Point => ({ x: xs[2 * i]!, y: xs[2 * i + 1]!, label: label === 1 ? 1 : 0 }));
  x.dispose();
  y.dispose();
  return points;
}

/** n points of the named dataset, split into train and test by trainRatio, the same for the same seed. */
export function makeDataset(name: DatasetName, { n = 500, noise = 0, trainRatio = 0.5, seed = 1 } = {}): { train: Point[]; test: Point[] } {
  const generate = generators[name];
  if (!generate) throw new RangeError(`unknown dataset '${String(name)}' (${datasetNames.join(', ')})`);
  if (!(noise >= 0 && noise <= 1.5)) throw new RangeError(`noise must be in [0, 1.5], got ${noise}`);
  if (!(trainRatio > 0 && trainRatio < 1)) throw new RangeError(`trainRatio must be in (0, 1), got ${trainRatio}`);
  const all = generate(n, { noise, seed });
  const { train, test } = trainTestSplit(all, { testSize: 1 - trainRatio, seed });
  all.x.dispose();
  all.y.dispose();
  return { train: toPoints(train), test: toPoints(test) };
}
