import { checkOptions, tensor, type Tensor } from '@backprop/autograd';
import type { Module } from '../module';

export interface PenaltyOptions {
  /** Weight of the L1 term, l1 * sum |w| (default 0). */
  l1?: number;
  /** Weight of the L2 term, l2 * sum w^2 (default 0): SGD's weightDecay d is the gradient of l2 = d / 2. */
  l2?: number;
  /** Penalise biases too (default false: parameters named `bias` are left out, as is usual). */
  includeBiases?: boolean;
}

/**
 * The L1 and L2 penalties over a model's parameters, a scalar to add to the loss (Keras' kernel_regularizer, for
 * the whole model): `loss = crossEntropy(out, y).add(penalty(model, { l2: 1e-4 }))`.
 */
export function penalty(model: Module, options: PenaltyOptions): Tensor {
  checkOptions('penalty', options, { l1: 0, l2: 0, includeBiases: false } satisfies Required<PenaltyOptions>);
  const { l1 = 0, l2 = 0, includeBiases = false } = options;
  for (const [name, value] of [['l1', l1], ['l2', l2]] as const) {
    if (!(value >= 0 && Number.isFinite(value))) throw new RangeError(`penalty: ${name} must be a finite number >= 0, got ${value}`);
  }
  const weights = model.namedParameters().filter(([name]) => includeBiases || !/(^|\.)bias$/.test(name)).map(([, p]) => p);
  let total: Tensor = tensor(0);
  for (const w of weights) {
    if (l1 > 0) total = total.add(w.abs().sum().mul(l1));
    if (l2 > 0) total = total.add(w.square().sum().mul(l2));
  }
  return total;
}
