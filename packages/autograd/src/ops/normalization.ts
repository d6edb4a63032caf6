// Batch and layer normalisation (PyTorch's F.batch_norm and F.layer_norm), composed of reductions and
// elementwise ops, whose backwards carry the gradient.
import { defineOp } from '../op';
import { noGrad } from '../context';
import { ShapeError } from '../errors';
import { checkOptions } from '../options';
import { formatShape, sameShape, sizeOf } from '../shape';
import type { Tensor } from '../tensor';
import { checkTensor, floatInputs } from './internal/common';

export interface BatchNormOptions {
  /** Normalise with the batch's statistics (and move the running ones), or with the running statistics. */
  training?: boolean;
  /** How far the running statistics move towards the batch's: running = (1 - momentum) running + momentum batch. */
  momentum?: number;
  eps?: number;
}

/** The optional per-channel tensors, checked to be float32 of shape [size]. */
function checkVectors(op: string, x: Tensor, size: number, vectors: Record<string, Tensor | null | undefined>): Tensor[] {
  const present: Tensor[] = [];
  for (const [name, v] of Object.entries(vectors)) {
    if (v == null) continue;
    checkTensor(op, v, `the ${name}`);
    if (v.rank !== 1 || v.shape[0] !== size) throw new ShapeError(`${op}: the ${name} must have shape [${size}] for an input of shape ${formatShape(x.shape)}, got ${formatShape(v.shape)}`);
    present.push(v);
  }
  floatInputs(op, [x, ...present]);
  return present;
}

/**
 * x [N, C, ...] normalised per channel: (x - mean) / sqrt(var + eps), then times weight and plus bias (per
 * channel, when given). In training the mean and the biased variance are the batch's, over every axis but 1, and
 * the running statistics (when given) move towards them in place (the variance unbiased, as PyTorch); otherwise
 * the running statistics are used.
 */
export const batchNorm = defineOp({ name: 'batchNorm', gradient: 'composite', kernels: [] }, (
  x: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, weight?: Tensor | null, bias?: Tensor | null, options: BatchNormOptions = {},
): Tensor => {
  checkTensor('batchNorm', x);
  checkOptions('batchNorm', options, { training: false, momentum: 0.1, eps: 1e-5 });
  const { training = false, momentum = 0.1, eps = 1e-5 } = options;
  if (x.rank < 2) throw new ShapeError(`batchNorm: expected an input [batch, channels, ...], got shape ${formatShape(x.shape)}`);
  const channels = x.shape[1]!;
  checkVectors('batchNorm', x, channels, { 'running mean': runningMean, 'running variance': runningVar, weight, bias });
  if ((runningMean == null) !== (runningVar == null)) throw new TypeError('batchNorm: give both running statistics (mean and variance) or neither');
  const axes = x.shape.map((_, i) => i).filter((i) => i !== 1);
  const perChannel = x.shape.map((d, i) => (i === 1 ? d : 1));
  let mean: Tensor;
  let variance: Tensor;
  if (training) {
    const n = sizeOf(x.shape) / channels;
    if (n <= 1) throw new ShapeError(`batchNorm: expected more than 1 value per channel when training, got an input of shape ${formatShape(x.shape)}`);
    mean = x.mean(axes, true);
    variance = x.var(axes, { correction: 0, keepDims: true });
    if (runningMean && runningVar) {
      noGrad(() => {
        runningMean.mul_(1 - momentum).add_(mean.reshape([channels]), momentum);
        runningVar.mul_(1 - momentum).add_(variance.reshape([channels]), (momentum * n) / (n - 1));
      });
    }
  } else {
    if (!runningMean || !runningVar) throw new TypeError('batchNorm: without running statistics, only training mode can normalise (pass training: true)');
    [mean, variance] = [runningMean.reshape(perChannel), runningVar.reshape(perChannel)];
  }
  const y = x.sub(mean).div(variance.add(eps).sqrt());
  return affine(y, weight, bias, perChannel);
});

/** y times weight plus bias, each (when given) reshaped to broadcast as `shape`. */
function affine(y: Tensor, weight: Tensor | null | undefined, bias: Tensor | null | undefined, shape: readonly number[]): Tensor {
  if (weight != null) y = y.mul(weight.reshape(shape));
  if (bias != null) y = y.add(bias.reshape(shape));
  return y;
}

export interface LayerNormOptions {
  eps?: number;
}

/**
 * x normalised over its last axes (those of `normalizedShape`): (x - mean) / sqrt(var + eps), the variance
 * biased, then times weight and plus bias (of shape normalizedShape, when given).
 */
export const layerNorm = defineOp({ name: 'layerNorm', gradient: 'composite', kernels: [] }, (
  x: Tensor, normalizedShape: number | readonly number[], weight?: Tensor | null, bias?: Tensor | null, options: LayerNormOptions = {},
): Tensor => {
  checkTensor('layerNorm', x);
  checkOptions('layerNorm', options, { eps: 1e-5 });
  const { eps = 1e-5 } = options;
  const shape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
  if (shape.length === 0 || shape.length > x.rank || !sameShape(x.shape.slice(x.rank - shape.length), shape)) {
    throw new ShapeError(`layerNorm: the input's last axes must be the normalized shape ${formatShape(shape)}, got an input of shape ${formatShape(x.shape)}`);
  }
  for (const [name, v] of Object.entries({ weight, bias })) {
    if (v == null) continue;
    checkTensor('layerNorm', v, `the ${name}`);
    if (!sameShape(v.shape, shape)) throw new ShapeError(`layerNorm: the ${name} must have the normalized shape ${formatShape(shape)}, got ${formatShape(v.shape)}`);
  }
  floatInputs('layerNorm', [x, ...[weight, bias].filter((v): v is Tensor => v != null)]);
  const axes = shape.map((_, i) => x.rank - shape.length + i);
  const mean = x.mean(axes, true);
  const variance = x.var(axes, { correction: 0, keepDims: true });
  return affine(x.sub(mean).div(variance.add(eps).sqrt()), weight, bias, shape);
});
