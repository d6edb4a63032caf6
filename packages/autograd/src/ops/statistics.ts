// Variance and standard deviation over axes, composed from mean, sum and sqrt (so the gradient comes with them).
import { defineOp } from '../op';
import { checkOptions } from '../options';
import { normalizeAxis } from '../shape';
import type { Tensor } from '../tensor';
import type { Axes } from './reduce';

export interface VarianceOptions {
  /** Subtracted from the count in the divisor: 1 (Bessel's correction, the default, as PyTorch) or 0. */
  correction?: number;
  keepDims?: boolean;
}

/** sum((x - mean)^2) / (n - correction) over `axes` (every element by default), n the elements reduced. */
export const variance = defineOp({ name: 'variance', gradient: 'composite', kernels: [] }, (x: Tensor, axes?: Axes, options: VarianceOptions = {}): Tensor => {
  checkOptions('var', options, { correction: 1, keepDims: false });
  const { correction = 1, keepDims = false } = options;
  const reduced = axes === undefined ? x.shape.map((_, i) => i) : (typeof axes === 'number' ? [axes] : [...axes]).map((a) => normalizeAxis(a, x.rank, 'var'));
  const n = reduced.reduce((count, a) => count * x.shape[a]!, 1);
  const centred = x.sub(x.mean(axes, true));
  // As PyTorch: no negative divisor (n <= correction gives inf, or NaN for no elements).
  return centred.square().sum(axes, keepDims).div(Math.max(0, n - correction));
});

/** The square root of the variance. */
export const std = defineOp({ name: 'std', gradient: 'composite', kernels: [] }, (x: Tensor, axes?: Axes, options: VarianceOptions = {}): Tensor => {
  return variance(x, axes, options).sqrt();
});
