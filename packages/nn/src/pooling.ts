import { avgPool2d, type AvgPoolOptions, checkOptions, maxPool2d, type MaxPoolOptions, pairOption, type Tensor } from '@backprop/autograd';
import { keepsNoTensors, Module } from './module';

/** The maximum of each kernelSize window of [N, C, H, W] inputs, stepping by stride (the window size by default). */
export class MaxPool2d extends Module {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly dilation: [number, number];
  readonly ceilMode: boolean;

  constructor(kernelSize: number | [number, number], options: MaxPoolOptions = {}) {
    super();
    checkOptions('MaxPool2d', options, { stride: undefined, padding: undefined, dilation: undefined, ceilMode: false });
    this.kernelSize = pairOption('MaxPool2d', 'kernelSize', kernelSize, 1);
    this.stride = pairOption('MaxPool2d', 'stride', options.stride ?? this.kernelSize, 1);
    this.padding = pairOption('MaxPool2d', 'padding', options.padding ?? 0, 0);
    this.dilation = pairOption('MaxPool2d', 'dilation', options.dilation ?? 1, 1);
    this.ceilMode = options.ceilMode ?? false;
  }

  forward(x: Tensor): Tensor {
    return maxPool2d(x, this.kernelSize, { stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode });
  }
}

/** The mean of each kernelSize window of [N, C, H, W] inputs (padding counted in the divisor unless countIncludePad is false). */
export class AvgPool2d extends Module {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly countIncludePad: boolean;
  readonly ceilMode: boolean;

  constructor(kernelSize: number | [number, number], options: AvgPoolOptions = {}) {
    super();
    checkOptions('AvgPool2d', options, { stride: undefined, padding: undefined, countIncludePad: true, ceilMode: false });
    this.kernelSize = pairOption('AvgPool2d', 'kernelSize', kernelSize, 1);
    this.stride = pairOption('AvgPool2d', 'stride', options.stride ?? this.kernelSize, 1);
    this.padding = pairOption('AvgPool2d', 'padding', options.padding ?? 0, 0);
    this.countIncludePad = options.countIncludePad ?? true;
    this.ceilMode = options.ceilMode ?? false;
  }

  forward(x: Tensor): Tensor {
    return avgPool2d(x, this.kernelSize, { stride: this.stride, padding: this.padding, countIncludePad: this.countIncludePad, ceilMode: this.ceilMode });
  }
}

keepsNoTensors(MaxPool2d, AvgPool2d);
