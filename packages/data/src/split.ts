import { noGrad, permutation, type Tensor } from '@backprop/autograd';

export interface Split {
  train: { x: Tensor; y: Tensor };
  test: { x: Tensor; y: Tensor };
}

/**
 * A reproducible shuffled split (scikit-learn's train_test_split): testSize is a fraction of the samples
 * (rounded up) or a count. The parts are new tensors you own.
 */
export function trainTestSplit(data: { x: Tensor; y: Tensor }, { testSize = 0.2, seed = 0 }: { testSize?: number; seed?: number } = {}): Split {
  const n = data.x.shape[0] ?? 0;
  if (data.y.shape[0] !== n) throw new RangeError(`trainTestSplit: x has ${n} samples but y has ${data.y.shape[0]}`);
  const count = testSize < 1 ? Math.ceil(n * testSize) : testSize;
  if (!(Number.isInteger(count) && count > 0 && count < n)) throw new RangeError(`trainTestSplit: testSize ${testSize} leaves no samples on one side of ${n}`);
  const order = permutation(n, seed);
  const pick = (rows: number[]): { x: Tensor; y: Tensor } => noGrad(() => ({ x: data.x.indexSelect(rows).keep(), y: data.y.indexSelect(rows).keep() }));
  return { test: pick(order.slice(0, count)), train: pick(order.slice(count)) };
}
