import { fusedUpdate, updates, type Tensor } from '@backprop/autograd';
import { Optimizer, type ParamGroup, type ParamGroupSpec, type ParamState } from './optimizer';
import { checkNonNegative } from './options';

export interface SGDOptions {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
}

/**
 * Stochastic gradient descent with momentum (buf = momentum buf + (1 - dampening) g), Nesterov momentum
 * (g + momentum buf) and L2 weight decay, in PyTorch's update order.
 */
export class SGD extends Optimizer<SGDOptions> {
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupSpec<SGDOptions>>, options: Partial<SGDOptions> = {}) {
    super('SGD', params, { lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false }, options);
  }

  protected validate(o: SGDOptions): void {
    checkNonNegative(this.name, o, ['lr', 'momentum', 'dampening', 'weightDecay']);
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) {
      throw new RangeError('SGD: nesterov momentum requires a momentum > 0 and zero dampening');
    }
  }

  protected update(p: Tensor, g: Tensor, state: ParamState, o: ParamGroup<SGDOptions>): void {
    const first = state.momentumBuffer === undefined;
    if (o.momentum !== 0 && first) state.momentumBuffer = this.buffer(p);
    const buf = (state.momentumBuffer as Tensor | undefined) ?? g; // unused without momentum
    fusedUpdate(updates.sgd, { param: p, grad: g, momentumBuffer: buf }, { lr: o.lr, momentum: o.momentum, dampening: o.dampening, weightDecay: o.weightDecay, nesterov: o.nesterov, maximize: o.maximize, first });
  }
}
