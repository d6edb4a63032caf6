import { checkOptions, linear, rand, type Tensor } from '@backprop/autograd';
import { keepsNoTensors, Module, parameter } from './module';

/**
 * y = x W^T + b with weight [outFeatures, inFeatures] (PyTorch's layout). PyTorch's default initialisation:
 * W and b uniform in [-1/sqrt(inFeatures), 1/sqrt(inFeatures)] (kaiming_uniform_ with a = sqrt(5)).
 */
export class Linear extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | null;

  constructor(readonly inFeatures: number, readonly outFeatures: number, options: { bias?: boolean } = {}) {
    super();
    checkOptions('Linear', options, { bias: true });
    const { bias = true } = options;
    for (const [name, v] of [['inFeatures', inFeatures], ['outFeatures', outFeatures]] as const) {
      if (!Number.isInteger(v) || v <= 0) throw new RangeError(`Linear: ${name} must be a positive integer, got ${v}`);
    }
    const bound = 1 / Math.sqrt(inFeatures);
    this.weight = parameter(rand([outFeatures, inFeatures], { low: -bound, high: bound }));
    this.bias = bias ? parameter(rand([outFeatures], { low: -bound, high: bound })) : null;
  }

  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }
}

keepsNoTensors(Linear);
