import { noGrad, tensor, type Tensor } from '@backprop/autograd';

/**
 * Per-feature standardisation (x - mean) / std, fitted on the training split only so no test information
 * leaks into training (scikit-learn's StandardScaler, population std; constant features keep std 1).
 */
export class StandardScaler {
  private constructor(readonly mean: Tensor, readonly std: Tensor) {}

  static fit(x: Tensor): StandardScaler {
    if (x.rank !== 2 || x.shape[0] === 0) throw new RangeError(`StandardScaler.fit: expected samples x features with at least one sample, got [${x.shape.join(', ')}]`);
    const [n, f] = [x.shape[0]!, x.shape[1]!];
    const values = x.values();
    const mean = new Float64Array(f);
    const variance = new Float64Array(f);
    for (let i = 0; i < n; i++) for (let j = 0; j < f; j++) mean[j] = mean[j]! + values[i * f + j]!;
    for (let j = 0; j < f; j++) mean[j] = mean[j]! / n;
    for (let i = 0; i < n; i++) for (let j = 0; j < f; j++) variance[j] = variance[j]! + (values[i * f + j]! - mean[j]!) ** 2;
    for (let j = 0; j < f; j++) variance[j] = variance[j]! / n;
    const std = Array.from(variance, (v) => (v > 0 ? Math.sqrt(v) : 1));
    return new StandardScaler(tensor(Array.from(mean)).keep(), tensor(std).keep());
  }

  /** Rebuilds a fitted scaler from saved statistics (e.g. a model's shipped preprocessing). */
  static from(mean: ArrayLike<number>, std: ArrayLike<number>): StandardScaler {
    return new StandardScaler(tensor(Array.from(mean)), tensor(Array.from(std)));
  }

  /** (x - mean) / std, a new tensor. */
  transform(x: Tensor): Tensor {
    if (x.shape[x.rank - 1] !== this.mean.size) throw new RangeError(`StandardScaler.transform: expected ${this.mean.size} features, got [${x.shape.join(', ')}]`);
    return noGrad(() => x.sub(this.mean).div(this.std));
  }
}
