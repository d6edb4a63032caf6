// Batch and layer normalisation (PyTorch's F.batch_norm and F.layer_norm). Batch norm runs fused kernels as
// PyTorch's CPU kernels do (statistics from float64 sums, then one multiply-add per element, and a backward of two
// sums and one pass); layer norm is composed of reductions and elementwise ops, whose backwards carry the gradient.
import { defineOp } from '../op';
import { noGrad } from '../context';
import { ShapeError } from '../errors';
import { checkOptions } from '../options';
import { formatShape, sameShape, sizeOf } from '../shape';
import type { View } from '../backend';
import { allocate, record, type Tensor } from '../tensor';
import { at, checkTensor, floatInputs, release } from './internal/common';
import { contiguous } from './contiguous';

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
  return present;
}

/**
 * x [N, C, ...] normalised per channel: (x - mean) / sqrt(var + eps), then times weight and plus bias (per
 * channel, when given). In training the mean and the biased variance are the batch's, over every axis but 1, and
 * the running statistics (when given) move towards them in place (the variance unbiased, as PyTorch); otherwise
 * the running statistics are used (buffers: no gradient reaches them, as in PyTorch).
 */
export const batchNorm = defineOp({ name: 'batchNorm', gradient: 'recorded', kernels: ['batchNormStats', 'channelAffine', 'batchNormBackwardStats', 'batchNormBackwardInput'] }, (
  x: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, weight?: Tensor | null, bias?: Tensor | null, options: BatchNormOptions = {},
): Tensor => {
  checkTensor('batchNorm', x);
  checkOptions('batchNorm', options, { training: false, momentum: 0.1, eps: 1e-5 });
  const { training = false, momentum = 0.1, eps = 1e-5 } = options;
  if (x.rank < 2) throw new ShapeError(`batchNorm: expected an input [batch, channels, ...], got shape ${formatShape(x.shape)}`);
  const [images, C] = [x.shape[0]!, x.shape[1]!];
  const backend = floatInputs('batchNorm', [x, ...checkVectors('batchNorm', x, C, { 'running mean': runningMean, 'running variance': runningVar, weight, bias })]);
  if ((runningMean == null) !== (runningVar == null)) throw new TypeError('batchNorm: give both running statistics (mean and variance) or neither');
  const inner = sizeOf(x.shape.slice(2));
  const n = images * inner;
  const input = contiguous(x);
  let mean: Tensor;
  let variance: Tensor;
  if (training) {
    if (n <= 1) throw new ShapeError(`batchNorm: expected more than 1 value per channel when training, got an input of shape ${formatShape(x.shape)}`);
    [mean, variance] = [allocate(backend, [C], 'float32'), allocate(backend, [C], 'float32')];
    backend.batchNormStats(images, C, inner, input, mean, variance);
    if (runningMean && runningVar) {
      noGrad(() => {
        runningMean.mul_(1 - momentum).add_(mean, momentum);
        runningVar.mul_(1 - momentum).add_(variance, (momentum * n) / (n - 1));
      });
    }
  } else {
    if (!runningMean || !runningVar) throw new TypeError('batchNorm: without running statistics, only training mode can normalise (pass training: true)');
    if (runningMean.requiresGrad || runningVar.requiresGrad) throw new TypeError('batchNorm: running statistics take no gradient (as in PyTorch)');
    [mean, variance] = [contiguous(runningMean), contiguous(runningVar)];
  }
  // Per channel, rows [invstd, w, scale, shift], each rounded to float32 where PyTorch rounds (unrounded on the
  // float64 reference backend): invstd = 1 / sqrt(var + eps), scale = invstd w, shift = b - mean scale.
  const round = backend.name === 'wasm' ? Math.fround : (value: number): number => value;
  const [m, v, w, b] = [mean.values(), variance.values(), weight?.values(), bias?.values()];
  const k = new Float64Array(4 * C);
  for (let c = 0; c < C; c++) {
    k[c] = round(1 / Math.sqrt(v[c]! + eps));
    k[C + c] = w ? w[c]! : 1;
    k[2 * C + c] = round(k[c]! * k[C + c]!);
    k[3 * C + c] = round((b ? b[c]! : 0) - round(m[c]! * k[2 * C + c]!));
  }
  if (training) variance.dispose();
  const perChannel = allocate(backend, [4, C], 'float32');
  backend.write(perChannel, k);
  const row = (r: number): View => at(perChannel, r * C);
  const y = allocate(backend, x.shape, 'float32');
  backend.channelAffine(images, C, inner, input, row(2), row(3), y);
  return record(y, 'batchNorm', [x, weight, bias].filter((t): t is Tensor => t != null), (dy) => {
    const d = contiguous(dy);
    // sum dy and sum (x - mean) dy; then dx, where training also flows through the batch's mean and variance
    // (PyTorch's grad_mean and k); dweight = invstd sum (x - mean) dy, dbias = sum dy. An evaluation dx
    // (dy invstd w) reads none of these, so the sums are skipped when it is all that is asked for.
    let s: ArrayLike<number> = [];
    if ((training && x.requiresGrad) || weight?.requiresGrad || bias?.requiresGrad) {
      const sums = allocate(backend, [2, C], 'float32');
      backend.batchNormBackwardStats(images, C, inner, input, d, mean, sums, at(sums, C));
      s = sums.values();
      sums.dispose();
    }
    const grad = (values: (c: number) => number): Tensor => {
      const t = allocate(backend, [C], 'float32');
      backend.write(t, Float64Array.from({ length: C }, (_, c) => values(c)));
      return t;
    };
    let dx: Tensor | null = null;
    if (x.requiresGrad) {
      dx = allocate(backend, x.shape, 'float32');
      // The evaluation dx reads no batch terms; a row of perChannel stands in for them.
      const batchTerms: [Tensor, Tensor] | null = training
        ? [grad((c) => round(s[c]! / n)), grad((c) => round(round(round(s[C + c]! * k[c]!) * k[c]!) / n))]
        : null;
      const [terms, slopes] = batchTerms ?? [row(0), row(0)];
      backend.batchNormBackwardInput(images, C, inner, training, input, d, mean, terms, slopes, row(0), row(1), dx);
      if (batchTerms) release(...batchTerms);
    }
    const grads = [dx];
    if (weight != null) grads.push(weight.requiresGrad ? grad((c) => s[C + c]! * k[c]!) : null);
    if (bias != null) grads.push(bias.requiresGrad ? grad((c) => s[c]!) : null);
    return grads;
  }, { saves: [input, mean, perChannel], params: { training, momentum, eps } });
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
