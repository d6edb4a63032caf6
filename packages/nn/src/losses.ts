import * as F from '@backprop/autograd';
import { checkOptions, type Reduction, type Tensor } from '@backprop/autograd';

export interface LossOptions {
  /** 'mean' (default), 'sum', or 'none' for the per-element losses. */
  reduction?: Reduction;
}

export interface CrossEntropyOptions extends LossOptions, F.CrossEntropyExtras {
  /** Rows with this label contribute nothing (default -100, as PyTorch). */
  ignoreIndex?: number;
}

/** Binary cross-entropy of probabilities in [0, 1] against targets in [0, 1]. */
export function binaryCrossEntropy(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  checkOptions('binaryCrossEntropy', options, { reduction: 'mean' });
  const { reduction = 'mean' } = options;
  return F.binaryCrossEntropy(input, target, reduction);
}

/** Binary cross-entropy of logits: sigmoid and BCE fused, stable for any logit. */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  checkOptions('binaryCrossEntropyWithLogits', options, { reduction: 'mean' });
  const { reduction = 'mean' } = options;
  return F.binaryCrossEntropyWithLogits(input, target, reduction);
}

/** Mean squared error. */
export function mseLoss(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  checkOptions('mseLoss', options, { reduction: 'mean' });
  const { reduction = 'mean' } = options;
  return F.mseLoss(input, target, reduction);
}

/** Cross-entropy of logits [n, classes] against int32 class labels [n], or [n, classes, d1, ...] against [n, d1, ...] (log-softmax and NLL fused). */
export function crossEntropy(input: Tensor, target: Tensor, options: CrossEntropyOptions = {}): Tensor {
  checkOptions('crossEntropy', options, { reduction: 'mean', ignoreIndex: -100, weight: undefined, labelSmoothing: 0 });
  const { reduction = 'mean', ignoreIndex = -100, weight, labelSmoothing } = options;
  return F.crossEntropy(input, target, reduction, ignoreIndex, { weight, labelSmoothing });
}

/** Negative log-likelihood of log-probabilities [n, classes] at int32 labels [n] (or [n, classes, d1, ...] at [n, d1, ...]). */
export function nllLoss(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  checkOptions('nllLoss', options, { reduction: 'mean' });
  const { reduction = 'mean' } = options;
  return F.nllLoss(input, target, reduction);
}

/** A loss as a module, as torch.nn's: options fixed at construction, call(input, target). */
abstract class Loss<O extends LossOptions> {
  protected abstract readonly fn: (input: Tensor, target: Tensor, options: O) => Tensor;
  constructor(readonly options: O = {} as O) {}
  call(input: Tensor, target: Tensor): Tensor {
    return this.fn(input, target, this.options);
  }
}

export class BCELoss extends Loss<LossOptions> { protected readonly fn = binaryCrossEntropy; }
export class BCEWithLogitsLoss extends Loss<LossOptions> { protected readonly fn = binaryCrossEntropyWithLogits; }
export class MSELoss extends Loss<LossOptions> { protected readonly fn = mseLoss; }
export class CrossEntropyLoss extends Loss<CrossEntropyOptions> { protected readonly fn = crossEntropy; }
export class NLLLoss extends Loss<LossOptions> { protected readonly fn = nllLoss; }
