import { checkOptions, conv2d, paddingOption, pairOption, rand, type Conv2dOptions, type Tensor } from '@backprop/autograd';
import { keepsNoTensors, Module, parameter } from './module';

export interface Conv2dLayerOptions extends Conv2dOptions {
  bias?: boolean;
}

/**
 * A 2-D convolution over [N, C, H, W] inputs: weight [outChannels, inChannels / groups, kh, kw] and bias
 * [outChannels], PyTorch's layout and default initialisation (both uniform in +-1/sqrt(fanIn), fanIn =
 * inChannels / groups x kh x kw).
 */
export class Conv2d extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | null;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  /** [h, w] zeros on each side, or 'same' (the output keeps the input's size; 'valid' is stored as [0, 0]). */
  readonly padding: [number, number] | 'same';
  readonly dilation: [number, number];
  readonly groups: number;

  constructor(readonly inChannels: number, readonly outChannels: number, kernelSize: number | [number, number], options: Conv2dLayerOptions = {}) {
    super();
    checkOptions('Conv2d', options, { stride: undefined, padding: undefined, dilation: undefined, groups: 1, bias: true });
    const { stride = 1, padding = 0, dilation = 1, groups = 1, bias = true } = options;
    for (const [name, v] of [['inChannels', inChannels], ['outChannels', outChannels], ['groups', groups]] as const) {
      if (!Number.isInteger(v) || v <= 0) throw new RangeError(`Conv2d: ${name} must be a positive integer, got ${JSON.stringify(v)}`);
    }
    if (inChannels % groups !== 0 || outChannels % groups !== 0) {
      throw new RangeError(`Conv2d: inChannels (${inChannels}) and outChannels (${outChannels}) must both divide by groups (${groups})`);
    }
    this.kernelSize = pairOption('Conv2d', 'kernelSize', kernelSize, 1);
    this.stride = pairOption('Conv2d', 'stride', stride, 1);
    this.dilation = pairOption('Conv2d', 'dilation', dilation, 1);
    this.padding = paddingOption('Conv2d', padding, stride);
    this.groups = groups;
    const [kh, kw] = this.kernelSize;
    const bound = 1 / Math.sqrt((inChannels / groups) * kh * kw);
    this.weight = parameter(rand([outChannels, inChannels / groups, kh, kw], { low: -bound, high: bound }));
    this.bias = bias ? parameter(rand([outChannels], { low: -bound, high: bound })) : null;
  }

  forward(x: Tensor): Tensor {
    return conv2d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups });
  }
}

keepsNoTensors(Conv2d);
