import { checkOptions, linear, rand, type LinearActivation, type Tensor } from '@backprop/autograd';
import { ReLU, Sigmoid, Tanh } from './activations';
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
      if (!Number.isInteger(v) || v <= 0) throw new RangeError(`Linear: ${name} must be a positive integer, got ${JSON.stringify(v)}`);
    }
    const bound = 1 / Math.sqrt(inFeatures);
    this.weight = parameter(rand([outFeatures, inFeatures], { low: -bound, high: bound }));
    this.bias = bias ? parameter(rand([outFeatures], { low: -bound, high: bound })) : null;
  }

  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }

  /** forward(x) then the activation, in one op: the same values (Sequential runs Linear, ReLU pairs so). */
  forwardActivated(x: Tensor, activation: LinearActivation): Tensor {
    return linear(x, this.weight, this.bias, { activation });
  }
}

keepsNoTensors(Linear);

/* eslint-disable @typescript-eslint/unbound-method -- the methods are identities here, never called */
const activations = new Map<Module['forward'], LinearActivation>([
  [ReLU.prototype.forward, 'relu'], [Tanh.prototype.forward, 'tanh'], [Sigmoid.prototype.forward, 'sigmoid'],
]);

/**
 * `layer` and `next` run on x as one op, when they can: a Linear then a ReLU, Tanh or Sigmoid, each with its
 * class's own forward (a subclass that changes either runs as written). Otherwise null, and nothing ran.
 */
export function forwardFused(layer: Module, next: Module | undefined, x: Tensor): Tensor | null {
  if (next === undefined || !(layer instanceof Linear) || layer.forward !== Linear.prototype.forward) return null;
  const activation = activations.get(next.forward);
  return activation ? layer.forwardActivated(x, activation) : null;
}
/* eslint-enable @typescript-eslint/unbound-method */
