import { batchNorm, checkOptions, formatShape, layerNorm, ones, ShapeError, tensor, zeros, type Tensor } from '@backprop/autograd';
import { buffer, keepsNoTensors, Module, parameter } from './module';

export interface BatchNormLayerOptions {
  eps?: number;
  /** How far the running statistics move towards each batch's; null: their cumulative average over every batch. */
  momentum?: number | null;
  /** A learnable per-channel scale (weight, from 1) and shift (bias, from 0). */
  affine?: boolean;
  /** Keep running statistics for eval mode; without them, eval mode normalises with the batch's statistics too. */
  trackRunningStats?: boolean;
}

/**
 * Batch normalisation per channel (axis 1), PyTorch's BatchNorm: in training, each batch is normalised with its
 * own mean and variance, and the running statistics move towards them; in eval mode, the running statistics are
 * used. State-dict keys are PyTorch's: weight, bias, running_mean, running_var, num_batches_tracked.
 */
abstract class BatchNorm extends Module {
  readonly weight: Tensor | null;
  readonly bias: Tensor | null;
  // Named as PyTorch's attributes, which are the state-dict keys.
  readonly running_mean: Tensor | null;
  readonly running_var: Tensor | null;
  readonly num_batches_tracked: Tensor | null;
  readonly eps: number;
  readonly momentum: number | null;

  constructor(readonly numFeatures: number, options: BatchNormLayerOptions, private readonly layer: string) {
    super();
    checkOptions(layer, options, { eps: 1e-5, momentum: undefined, affine: true, trackRunningStats: true });
    const { eps = 1e-5, momentum = 0.1, affine = true, trackRunningStats = true } = options;
    if (!Number.isInteger(numFeatures) || numFeatures <= 0) throw new RangeError(`${layer}: numFeatures must be a positive integer, got ${JSON.stringify(numFeatures)}`);
    if (typeof eps !== 'number' || !(eps > 0)) throw new RangeError(`${layer}: eps must be a positive number, got ${JSON.stringify(eps)}`);
    if (momentum !== null && (typeof momentum !== 'number' || !(momentum >= 0 && momentum <= 1))) {
      throw new RangeError(`${layer}: momentum must be a number in [0, 1] or null (a cumulative average), got ${JSON.stringify(momentum)}`);
    }
    this.eps = eps;
    this.momentum = momentum;
    this.weight = affine ? parameter(ones([numFeatures])) : null;
    this.bias = affine ? parameter(zeros([numFeatures])) : null;
    this.running_mean = trackRunningStats ? buffer(zeros([numFeatures])) : null;
    this.running_var = trackRunningStats ? buffer(ones([numFeatures])) : null;
    this.num_batches_tracked = trackRunningStats ? buffer(tensor(0, { dtype: 'int32' })) : null;
  }

  /** The input ranks this layer takes, for its error message. */
  protected abstract checkRank(x: Tensor): void;

  forward(x: Tensor): Tensor {
    this.checkRank(x);
    if (x.shape[1] !== this.numFeatures) {
      throw new ShapeError(`${this.layer}: expected ${this.numFeatures} channels (axis 1), got an input of shape ${formatShape(x.shape)}`);
    }
    let momentum = this.momentum ?? 0;
    if (this.training && this.num_batches_tracked) {
      this.num_batches_tracked.add_(1);
      if (this.momentum === null) momentum = 1 / this.num_batches_tracked.item();
    }
    // As PyTorch: the batch's statistics in training, and in eval mode when no running statistics are kept.
    return batchNorm(x, this.running_mean, this.running_var, this.weight, this.bias, {
      training: this.training || !this.running_mean, momentum, eps: this.eps,
    });
  }
}

/** Batch normalisation of [N, C] or [N, C, L] inputs, per channel C. */
export class BatchNorm1d extends BatchNorm {
  constructor(numFeatures: number, options: BatchNormLayerOptions = {}) {
    super(numFeatures, options, 'BatchNorm1d');
  }

  protected checkRank(x: Tensor): void {
    if (x.rank !== 2 && x.rank !== 3) throw new ShapeError(`BatchNorm1d: expected a 2-D [N, C] or 3-D [N, C, L] input, got shape ${formatShape(x.shape)}`);
  }
}

/** Batch normalisation of [N, C, H, W] inputs, per channel C. */
export class BatchNorm2d extends BatchNorm {
  constructor(numFeatures: number, options: BatchNormLayerOptions = {}) {
    super(numFeatures, options, 'BatchNorm2d');
  }

  protected checkRank(x: Tensor): void {
    if (x.rank !== 4) throw new ShapeError(`BatchNorm2d: expected a 4-D input [N, C, H, W], got shape ${formatShape(x.shape)}`);
  }
}

/**
 * Layer normalisation over the last axes (normalizedShape), each sample on its own, PyTorch's LayerNorm: weight
 * (from 1) and bias (from 0) of normalizedShape when elementwiseAffine.
 */
export class LayerNorm extends Module {
  readonly normalizedShape: number[];
  readonly weight: Tensor | null;
  readonly bias: Tensor | null;
  readonly eps: number;

  constructor(normalizedShape: number | readonly number[], options: { eps?: number; elementwiseAffine?: boolean } = {}) {
    super();
    checkOptions('LayerNorm', options, { eps: 1e-5, elementwiseAffine: true });
    const { eps = 1e-5, elementwiseAffine = true } = options;
    const shape = typeof normalizedShape === 'number' ? [normalizedShape] : Array.isArray(normalizedShape) ? [...(normalizedShape as number[])] : null;
    if (!shape || shape.length === 0 || shape.some((d) => !Number.isInteger(d) || d <= 0)) {
      throw new RangeError(`LayerNorm: normalizedShape must be a positive integer or a non-empty array of them, got ${JSON.stringify(normalizedShape)}`);
    }
    if (typeof eps !== 'number' || !(eps > 0)) throw new RangeError(`LayerNorm: eps must be a positive number, got ${JSON.stringify(eps)}`);
    this.normalizedShape = shape;
    this.eps = eps;
    this.weight = elementwiseAffine ? parameter(ones(shape)) : null;
    this.bias = elementwiseAffine ? parameter(zeros(shape)) : null;
  }

  forward(x: Tensor): Tensor {
    return layerNorm(x, this.normalizedShape, this.weight, this.bias, { eps: this.eps });
  }
}

keepsNoTensors(BatchNorm1d, BatchNorm2d, LayerNorm);
