import { noGrad } from './context';
import type { Tensor } from './tensor';

/**
 * Scales all gradients together so their joint norm is at most maxNorm (PyTorch's clip_grad_norm_).
 * normType 2 (default) or Infinity. Returns the norm before clipping.
 */
export function clipGradNorm(params: Iterable<Tensor>, maxNorm: number, { normType = 2, errorIfNonfinite = false }: { normType?: number; errorIfNonfinite?: boolean } = {}): number {
  if (!(maxNorm >= 0)) throw new RangeError(`clipGradNorm: maxNorm must be >= 0, got ${maxNorm}`);
  if (!(normType > 0)) throw new RangeError(`clipGradNorm: normType must be > 0 or Infinity, got ${normType}`);
  const grads = [...params].map((p) => p.grad).filter((g): g is Tensor => g !== null);
  if (grads.length === 0) return 0;
  return noGrad(() => {
    let total: number;
    if (normType === Infinity) total = Math.max(...grads.map((g) => g.abs().max().item()));
    else total = grads.reduce((s, g) => s + g.abs().pow(normType).sum().item(), 0) ** (1 / normType);
    if (!Number.isFinite(total) && errorIfNonfinite) {
      throw new RangeError(`clipGradNorm: the total norm of the gradients is ${total}; clipping would make every gradient NaN`);
    }
    const coefficient = Math.min(1, maxNorm / (total + 1e-6));
    if (coefficient < 1) for (const g of grads) g.mul_(coefficient);
    return total;
  });
}

/** Clamps every gradient element to [-clipValue, clipValue] (PyTorch's clip_grad_value_). */
export function clipGradValue(params: Iterable<Tensor>, clipValue: number): void {
  if (!(clipValue >= 0)) throw new RangeError(`clipGradValue: clipValue must be >= 0, got ${clipValue}`);
  noGrad(() => {
    for (const p of params) {
      const g = p.grad;
      if (g) g.copy_(g.minimum(clipValue).maximum(-clipValue));
    }
  });
}
