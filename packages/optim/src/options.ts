// Option checks that name the option, as PyTorch's optimisers do (unknown options and wrong types: autograd's
// checkOptions).
import { describeValue } from '@backprop/autograd';

/** Throws unless value is a finite number >= min (and < max when given). */
export function checkRange(owner: string, option: string, value: unknown, min: number, max?: number): void {
  if (typeof value !== 'number') throw new TypeError(`${owner}: ${option} must be a number, got ${describeValue(value)}`);
  const ok = Number.isFinite(value) && value >= min && (max === undefined || value < max);
  if (!ok) {
    const range = max === undefined ? `>= ${min}` : `in [${min}, ${max})`;
    throw new RangeError(`${owner}: invalid ${option} ${String(value)} (must be ${range})`);
  }
}

/** checkRange(owner, key, options[key], 0) for each key: the options that must be finite and >= 0. */
export function checkNonNegative<O extends object>(owner: string, options: O, keys: readonly (keyof O & string)[]): void {
  for (const key of keys) checkRange(owner, key, options[key], 0);
}

export function checkBetas(owner: string, betas: unknown): void {
  if (!Array.isArray(betas) || betas.length !== 2) throw new RangeError(`${owner}: betas must be a pair [beta1, beta2], got ${JSON.stringify(betas)}`);
  checkRange(owner, 'betas[0]', betas[0], 0, 1);
  checkRange(owner, 'betas[1]', betas[1], 0, 1);
}
