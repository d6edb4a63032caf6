import * as F from '@backprop/autograd';
import type { Reduction, Tensor } from '@backprop/autograd';

export interface LossOptions {
  /** 'mean' (default), 'sum', or 'none' for the per-element losses. */
  reduction?: Reduction;
}

export interface CrossEntropyOptions extends LossOptions {
  /** Rows with this label contribute nothing (default -100, as PyTorch). */
  ignoreIndex?: number;
}

/** Binary cross-entropy of probabilities in [0, 1] against targets in [0, 1]. */
export function binaryCrossEntropy(input: Tensor, target: Tensor, { reduction = 'mean' }: LossOptions = {}): Tensor {
  return F.binaryCrossEntropy(input, target, reduction);
}

/** Binary cross-entropy of logits: sigmoid and BCE fused, stable for any logit. */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, { reduction = 'mean' }: LossOptions = {}): Tensor {
  return F.binaryCrossEntropyWithLogits(input, target, reduction);
}

/** Mean squared error. */
export function mseLoss(input: Tensor, target: Tensor, { reduction = 'mean' }: LossOptions = {}): Tensor {
  return F.mseLoss(input, target, reduction);
}

/** Cross-entropy of logits [n, classes] against int32 class labels [n] (log-softmax and NLL fused). */
export function crossEntropy(input: Tensor, target: Tensor, { reduction = 'mean', ignoreIndex = -100 }: CrossEntropyOptions = {}): Tensor {
  return F.crossEntropy(input, target, reduction, ignoreIndex);
}

/** Negative log-likelihood of log-probabilities [n, classes] at int32 labels [n]. */
export function nllLoss(input: Tensor, target: Tensor, { reduction = 'mean' }: LossOptions = {}): Tensor {
  return F.nllLoss(input, target, reduction);
}

/** A loss as a module: call(input, target). */
abstract class Loss<O extends LossOptions> {
  constructor(readonly options: O = {} as O) {}
  abstract call(input: Tensor, target: Tensor): Tensor;
}

export class BCELoss extends Loss<LossOptions> {
  call(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropy(input, target, this.options);
  }
}

export class BCEWithLogitsLoss extends Loss<LossOptions> {
  call(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropyWithLogits(input, target, this.options);
  }
}

export class MSELoss extends Loss<LossOptions> {
  call(input: Tensor, target: Tensor): Tensor {
    return mseLoss(input, target, this.options);
  }
}

export class CrossEntropyLoss extends Loss<CrossEntropyOptions> {
  call(input: Tensor, target: Tensor): Tensor {
    return crossEntropy(input, target, this.options);
  }
}

export class NLLLoss extends Loss<LossOptions> {
  call(input: Tensor, target: Tensor): Tensor {
    return nllLoss(input, target, this.options);
  }
}
