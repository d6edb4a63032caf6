import { adaptiveAvgPool2d, avgPool2d, type AvgPoolOptions, checkOptions, maxPool2d, type MaxPoolOptions, pairOption, type PoolOptions, type Tensor, zeros } from '@backprop/autograd';
import { keepsNoTensors, Module } from './module';

/**
 * What both pools take, checked: the window, its step (the window by default), padding and ceilMode; `own` is the
 * subclass's further options with their defaults, for checkOptions.
 */
abstract class Pool2d extends Module {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly ceilMode: boolean;

  constructor(owner: string, kernelSize: number | [number, number], options: PoolOptions, own: object) {
    super();
    checkOptions(owner, options, { stride: undefined, padding: undefined, ceilMode: false, ...own });
    this.kernelSize = pairOption(owner, 'kernelSize', kernelSize, 1);
    this.stride = pairOption(owner, 'stride', options.stride ?? this.kernelSize, 1);
    this.padding = pairOption(owner, 'padding', options.padding ?? 0, 0);
    this.ceilMode = options.ceilMode ?? false;
  }
}

/** The maximum of each kernelSize window of [N, C, H, W] inputs, stepping by stride (the window size by default). */
export class MaxPool2d extends Pool2d {
  readonly dilation: [number, number];

  constructor(kernelSize: number | [number, number], options: MaxPoolOptions = {}) {
    super('MaxPool2d', kernelSize, options, { dilation: undefined });
    this.dilation = pairOption('MaxPool2d', 'dilation', options.dilation ?? 1, 1);
  }

  forward(x: Tensor): Tensor {
    return maxPool2d(x, this.kernelSize, { stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode });
  }
}

/** The mean of each kernelSize window of [N, C, H, W] inputs (padding counted in the divisor unless countIncludePad is false). */
export class AvgPool2d extends Pool2d {
  readonly countIncludePad: boolean;

  constructor(kernelSize: number | [number, number], options: AvgPoolOptions = {}) {
    super('AvgPool2d', kernelSize, options, { countIncludePad: true });
    this.countIncludePad = options.countIncludePad ?? true;
  }

  forward(x: Tensor): Tensor {
    return avgPool2d(x, this.kernelSize, { stride: this.stride, padding: this.padding, countIncludePad: this.countIncludePad, ceilMode: this.ceilMode });
  }
}

/**
 * The mean over outputSize windows that tile each [N, C, H, W] input as evenly as they can: any input size gives
 * [N, C, ...outputSize] (n or [h, w]; null keeps the input's size). AdaptiveAvgPool2d(1) is global average pooling.
 */
export class AdaptiveAvgPool2d extends Module {
  readonly outputSize: number | [number | null, number | null];

  constructor(outputSize: number | [number | null, number | null]) {
    super();
    adaptiveAvgPool2d(zeros([1, 1, 1, 1]), outputSize); // outputSize checked now, not at the first forward
    this.outputSize = Array.isArray(outputSize) ? [...outputSize] : outputSize;
  }

  forward(x: Tensor): Tensor {
    return adaptiveAvgPool2d(x, this.outputSize);
  }
}

keepsNoTensors(MaxPool2d, AvgPool2d, AdaptiveAvgPool2d);
