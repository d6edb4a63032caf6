// Variance and standard deviation over axes, composed from mean, sum, sqrt and where (so the gradient comes with them).
import { defineOp } from '../op';
import { checkOptions } from '../options';
import { normalizeAxis } from '../shape';
import type { Tensor } from '../tensor';
import type { Axes } from './reduce';
import { where } from './where';

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

/**
 * The square root of the variance. Where the variance is 0 (constant values) the gradient is 0, as PyTorch's,
 * not sqrt's infinite slope times 0 (NaN): those places take the root of 1, whose gradient the outer select drops.
 */
export const std = defineOp({ name: 'std', gradient: 'composite', kernels: [] }, (x: Tensor, axes?: Axes, options: VarianceOptions = {}): Tensor => {
  const v = variance(x, axes, options);
  const flat = v.eq(0);
  return where(flat, 0, where(flat, 1, v).sqrt());
});
