import { noGrad, scope, type Tensor } from '@backprop/autograd';

// Accuracies count matches (exact in float32 up to 2^24) and divide in float64, so the same predictions give
// the same accuracy however they are batched.

/** The fraction of rows whose argmax matches the int32 label. */
export function multiclassAccuracy(output: Tensor, labels: Tensor): number {
  return noGrad(() => scope(() => output.argmax(1).eq(labels).sum().item() / labels.size));
}

/** The fraction of binary predictions (logit > 0) that match 0/1 targets. */
export function binaryAccuracy(logits: Tensor, targets: Tensor): number {
  return noGrad(() => scope(() => logits.gt(0).eq(targets).sum().item() / targets.size));
}

export type Accuracy = (output: Tensor, target: Tensor) => number;

/** The accuracy a run measures: the one asked for, none (false), or argmax accuracy for int32 labels. */
export function accuracyFor(asked: Accuracy | false | undefined, target: Tensor): Accuracy | undefined {
  if (asked === false) return undefined;
  return asked ?? (target.dtype === 'int32' ? multiclassAccuracy : undefined);
}
