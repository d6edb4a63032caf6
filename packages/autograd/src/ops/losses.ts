// Losses as single fused ops (one kernel forward, one backward), with PyTorch's reductions.
import { defineOp } from '../op';
import type { LossKind } from '../backend';
import { DTypeError, ShapeError } from '../errors';
import { checkOptions } from '../options';
import { formatShape, sameShape } from '../shape';
import { allocate, backendOf, record, type Tensor } from '../tensor';
import { at, broadcastOrThrow, broadcastTo, checkTensor, floatInputs, sumTo } from './internal/common';
import { contiguous } from './contiguous';
import { where } from './where';

export type Reduction = 'mean' | 'sum' | 'none';

function checkReduction(op: string, reduction: string): asserts reduction is Reduction {
  if (reduction !== 'mean' && reduction !== 'sum' && reduction !== 'none') {
    throw new RangeError(`${op}: unknown reduction '${reduction}' (expected 'mean', 'sum' or 'none')`);
  }
}

/** Reduces per-element losses; returns the result and the (dyStep, scale) that spread dy back. */
function reduceLosses(perElement: Tensor, reduction: Reduction, count: number): [Tensor, number, number] {
  if (reduction === 'none') return [perElement, 1, 1];
  const out = allocate(perElement.backend, [], 'float32');
  perElement.backend.reduce('sum', 1, perElement.size, 1, perElement, out);
  if (reduction === 'sum') return [out, 0, 1];
  perElement.backend.unary('scale', 1, out, out, 1 / count);
  return [out, 0, 1 / count];
}

function elementwiseLoss(op: string, kind: LossKind, input: Tensor, target: Tensor, reduction: Reduction): Tensor {
  checkReduction(op, reduction);
  checkTensor(op, target, 'the target');
  const backend = floatInputs(op, [input, target]);
  let [x, t] = [contiguous(input), contiguous(target)];
  if (!sameShape(input.shape, target.shape)) {
    // mseLoss broadcasts (PyTorch warns and does); the cross-entropies require one shape, as PyTorch.
    if (kind !== 'mse') throw new ShapeError(`${op}: input ${formatShape(input.shape)} and target ${formatShape(target.shape)} must have the same shape`);
    const shape = broadcastOrThrow(op, input.shape, target.shape);
    [x, t] = [broadcastTo(x, shape), broadcastTo(t, shape)];
  }
  if (kind === 'bce') {
    const bad = backend.firstOutside(x.size, x, 0, 1);
    if (bad >= 0) {
      throw new RangeError(`${op}: every input must be a probability in [0, 1], but element ${bad} is ${backend.read(at(x, bad), 1)[0]} (for logits, use binaryCrossEntropyWithLogits)`);
    }
  }
  const perElement = allocate(backend, x.shape, 'float32');
  backend.loss(kind, x.size, x, t, perElement);
  const [out, dyStep, scale] = reduceLosses(perElement, reduction, x.size);
  const [inputShape, targetShape, targetGrad] = [input.shape, target.shape, target.requiresGrad];
  return record(out, op, [input, target], (dy) => {
    const dx = allocate(backend, x.shape, 'float32');
    backend.lossBackward(kind, x.size, x, t, dy, dyStep, scale, dx);
    return [sumTo(dx, inputShape), targetGrad ? sumTo(targetGradient(kind, x, dx, dy, dyStep, scale), targetShape) : null];
  }, { saves: [x, t], params: { reduction } });
}

/** d loss / d target: mse -dx; with logits -x; on probabilities log(1 - p) - log(p) (logs clamped at -100). */
function targetGradient(kind: LossKind, input: Tensor, dx: Tensor, dy: Tensor, dyStep: number, scale: number): Tensor {
  if (kind === 'mse') return dx.neg();
  const upstream = dyStep === 0 ? broadcastTo(dy.mul(scale), input.shape) : dy;
  const local = kind === 'bceWithLogits' ? input.neg() : input.neg().add(1).log().maximum(-100).sub(input.log().maximum(-100));
  return local.mul(upstream);
}

/** Binary cross-entropy on probabilities in [0, 1]; logs are clamped at -100 as in PyTorch. */
export const binaryCrossEntropy = defineOp({ name: 'binaryCrossEntropy', gradient: 'recorded', kernels: ['bce', 'bceBackward', 'firstOutside'] }, (input: Tensor, target: Tensor, reduction: Reduction = 'mean'): Tensor =>
  elementwiseLoss('binaryCrossEntropy', 'bce', input, target, reduction));

/** Binary cross-entropy on logits, stable for any logit: max(x, 0) - x t + log(1 + e^-|x|). */
export const binaryCrossEntropyWithLogits = defineOp({ name: 'binaryCrossEntropyWithLogits', gradient: 'recorded', kernels: ['bceWithLogits', 'bceWithLogitsBackward'] }, (input: Tensor, target: Tensor, reduction: Reduction = 'mean'): Tensor =>
  elementwiseLoss('binaryCrossEntropyWithLogits', 'bceWithLogits', input, target, reduction));

/** Mean squared error. */
export const mseLoss = defineOp({ name: 'mseLoss', gradient: 'recorded', kernels: ['mse', 'mseBackward'] }, (input: Tensor, target: Tensor, reduction: Reduction = 'mean'): Tensor =>
  elementwiseLoss('mseLoss', 'mse', input, target, reduction));

/**
 * Cross-entropy from logits [n, classes] and int32 labels [n] (log-softmax and negative log-likelihood in one
 * kernel). Rows labelled ignoreIndex contribute nothing, and 'mean' averages over the other rows. Logits
 * [n, classes, d1, ...] with labels [n, d1, ...] (a label per pixel or time step) are rows of classes too.
 */
export const crossEntropy = defineOp({ name: 'crossEntropy', gradient: 'recorded', kernels: ['crossEntropy', 'crossEntropyBackward'] }, (
  input: Tensor, target: Tensor, reduction: Reduction = 'mean', ignoreIndex = -100, extras: CrossEntropyExtras = {},
): Tensor => {
  const op = 'crossEntropy';
  checkReduction(op, reduction);
  checkTensor(op, target, 'the labels');
  if (!Number.isInteger(ignoreIndex)) throw new TypeError(`${op}: ignoreIndex must be an integer, got ${String(ignoreIndex)}`);
  const backend = backendOf(op, [input, target]);
  floatInputs(op, [input]);
  if (target.dtype !== 'int32') {
    throw new DTypeError(`${op}: labels must be int32 class indices, got ${target.dtype} (create them with tensor(data, { dtype: 'int32' }))`);
  }
  checkOptions(op, extras, { weight: undefined, labelSmoothing: 0 });
  if (input.rank === 1 && target.rank === 0) return unbatched(input, target, reduction, (l, y) => crossEntropy(l, y, reduction, ignoreIndex, extras));
  if (isSpatial(input, target)) return spatial(input, target, reduction, (l, y) => crossEntropy(l, y, reduction, ignoreIndex, extras));
  const [logits, labels] = [contiguous(input), contiguous(target)];
  if (logits.rank !== 2 || labels.rank !== 1 || labels.shape[0] !== logits.shape[0]) throw new ShapeError(`${op}: ${LABEL_SHAPES}, got ${formatShape(logits.shape)} and ${formatShape(labels.shape)}`);
  if (extras.weight != null || (extras.labelSmoothing ?? 0) !== 0) return weightedOrSmoothed(logits, labels, reduction, ignoreIndex, extras);
  const [n, c] = [logits.shape[0]!, logits.shape[1]!];
  const perRow = allocate(backend, [n], 'float32');
  const bad = backend.crossEntropy(n, c, logits, labels, ignoreIndex, perRow);
  if (bad >= 0) {
    throw new RangeError(`${op}: label ${labels.values()[bad]} in row ${bad} is out of range for ${c} classes (expected 0 <= label < ${c}, or ${ignoreIndex} to ignore)`);
  }
  let counted = n;
  if (reduction === 'mean') for (const label of labels.values()) if (label === ignoreIndex) counted--;
  const [out, dyStep, scale] = reduceLosses(perRow, reduction, counted);
  const shape = logits.shape;
  return record(out, op, [logits, labels], (dy) => {
    const dx = allocate(backend, shape, 'float32');
    backend.crossEntropyBackward(n, c, logits, labels, ignoreIndex, dy, dyStep, scale, dx);
    return [dx, null];
  }, { saves: [logits, labels], params: { reduction, ignoreIndex } });
});

export interface CrossEntropyExtras {
  /** A weight per class, float32 [classes]: each row's loss times its label's weight; 'mean' divides by their sum (PyTorch's weight). */
  weight?: Tensor | null;
  /** The target as (1 - s) one-hot + s / classes, s in [0, 1] (PyTorch's label_smoothing): a regulariser against overconfidence. */
  labelSmoothing?: number;
}

/**
 * Cross-entropy with class weights or label smoothing, composed as PyTorch computes it: the fused per-row loss
 * (which checks the labels) times each row's weight, blended with the weighted mean over classes of -log p.
 * The weights are constants (PyTorch does not differentiate them either).
 */
function weightedOrSmoothed(logits: Tensor, labels: Tensor, reduction: Reduction, ignoreIndex: number, extras: CrossEntropyExtras): Tensor {
  const op = 'crossEntropy';
  const classes = logits.shape[1]!;
  const { weight, labelSmoothing = 0 } = extras;
  if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) throw new RangeError(`${op}: labelSmoothing must be in [0, 1], got ${labelSmoothing}`);
  if (weight != null) {
    checkTensor(op, weight, 'the class weights');
    if (weight.dtype !== 'float32' || weight.rank !== 1 || weight.shape[0] !== classes) {
      throw new ShapeError(`${op}: the class weights must be float32 [${classes}], one per class, got ${weight.dtype} ${formatShape(weight.shape)}`);
    }
  }
  const perLabel = crossEntropy(logits, labels, 'none', ignoreIndex);
  const counted = labels.ne(ignoreIndex);
  const rowWeights = weight == null ? counted : weight.detach().gather(0, where(counted, labels, 0)).mul(counted);
  let perRow = perLabel.mul(rowWeights);
  if (labelSmoothing > 0) {
    const logProbs = logits.logSoftmax(1);
    const uniform = (weight == null ? logProbs : logProbs.mul(weight.detach())).sum(1).neg().mul(counted);
    perRow = perRow.mul(1 - labelSmoothing).add(uniform.mul(labelSmoothing / classes));
  }
  return reduction === 'none' ? perRow : reduction === 'sum' ? perRow.sum() : perRow.sum().div(rowWeights.sum());
}

const LABEL_SHAPES = 'expected scores [n, classes] and labels [n], [classes] and a 0-d label, or [n, classes, d1, ...] and labels [n, d1, ...]';

/** PyTorch's K-dimensional form: scores [n, classes, d1, ...] with labels [n, d1, ...]. */
function isSpatial(input: Tensor, labels: Tensor): boolean {
  return input.rank >= 3 && labels.rank === input.rank - 1 && labels.shape[0] === input.shape[0] && sameShape(labels.shape.slice(1), input.shape.slice(2));
}

/** A K-dimensional loss as one row of classes per position; 'none' gives the labels' shape. */
function spatial(input: Tensor, labels: Tensor, reduction: Reduction, rows: (input: Tensor, labels: Tensor) => Tensor): Tensor {
  const classesLast = [0, ...input.shape.slice(2).map((_, i) => i + 2), 1];
  const loss = rows(input.permute(classesLast).reshape([labels.size, input.shape[1]!]), labels.reshape([labels.size]));
  return reduction === 'none' ? loss.reshape(labels.shape) : loss;
}

/** An unbatched loss (PyTorch's [classes] input with a 0-d label) as a batch of one; 'none' gives a 0-d loss. */
function unbatched(input: Tensor, label: Tensor, reduction: Reduction, batched: (input: Tensor, labels: Tensor) => Tensor): Tensor {
  const loss = batched(input.reshape([1, input.size]), label.reshape([1]));
  return reduction === 'none' ? loss.reshape([]) : loss;
}

/**
 * Negative log-likelihood of log-probabilities [n, classes] at int32 labels [n]: -input[i, label_i],
 * reduced (or [n, classes, d1, ...] at [n, d1, ...]); composed from primitives (logSoftmax + nllLoss is what
 * crossEntropy fuses).
 */
export const nllLoss = defineOp({ name: 'nllLoss', gradient: 'composite', kernels: [] }, (logProbs: Tensor, labels: Tensor, reduction: Reduction = 'mean'): Tensor => {
  const op = 'nllLoss';
  checkReduction(op, reduction);
  checkTensor(op, labels, 'the labels');
  floatInputs(op, [logProbs]);
  if (labels.dtype !== 'int32') throw new DTypeError(`${op}: labels must be int32 class indices, got ${labels.dtype}`);
  if (logProbs.rank === 1 && labels.rank === 0) return unbatched(logProbs, labels, reduction, (l, y) => nllLoss(l, y, reduction));
  if (isSpatial(logProbs, labels)) return spatial(logProbs, labels, reduction, (l, y) => nllLoss(l, y, reduction));
  if (logProbs.rank !== 2 || labels.rank !== 1 || labels.shape[0] !== logProbs.shape[0]) throw new ShapeError(`${op}: ${LABEL_SHAPES}, got ${formatShape(logProbs.shape)} and ${formatShape(labels.shape)}`);
  const [n, c] = [logProbs.shape[0]!, logProbs.shape[1]!];
  const oneHot = new Float32Array(n * c);
  labels.values().forEach((label, i) => {
    if (!(label >= 0 && label < c)) throw new RangeError(`${op}: label ${label} in row ${i} is out of range for ${c} classes`);
    oneHot[i * c + label] = 1;
  });
  const mask = allocate(logProbs.backend, [n, c], 'float32');
  logProbs.backend.write(mask, oneHot);
  const picked = logProbs.mul(mask).sum(1).neg();
  return reduction === 'none' ? picked : reduction === 'sum' ? picked.sum() : picked.mean();
});
