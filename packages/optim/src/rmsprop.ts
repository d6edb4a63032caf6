import { fusedUpdate, updates, type Tensor } from '@backprop/autograd';
import { Optimizer, type ParamGroup, type ParamGroupSpec, type ParamState } from './optimizer';
import { checkNonNegative } from './options';

export interface RMSpropOptions {
  lr: number;
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  centered: boolean;
  maximize: boolean;
}

/** RMSprop: steps divided by a running RMS of the gradient (centered: by its running standard deviation). */
export class RMSprop extends Optimizer<RMSpropOptions> {
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupSpec<RMSpropOptions>>, options: Partial<RMSpropOptions> = {}) {
    super('RMSprop', params, { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false }, options);
  }

  protected validate(o: RMSpropOptions): void {
    checkNonNegative(this.name, o, ['lr', 'alpha', 'eps', 'weightDecay', 'momentum']);
  }

  protected update(p: Tensor, g: Tensor, state: ParamState, o: ParamGroup<RMSpropOptions>): void {
    if (state.squareAvg === undefined) {
      state.step = 0;
      state.squareAvg = this.buffer(p);
      if (o.momentum > 0) state.momentumBuffer = this.buffer(p);
      if (o.centered) state.gradAvg = this.buffer(p);
    }
    state.step = (state.step as number) + 1;
    const sq = state.squareAvg as Tensor;
    // Buffers the options leave unused are never touched by the kernel; any valid pointer will do.
    const gradAvg = (state.gradAvg as Tensor | undefined) ?? sq;
    const buf = (state.momentumBuffer as Tensor | undefined) ?? sq;
    fusedUpdate(updates.rmsprop, { param: p, grad: g, squareAvg: sq, gradAvg, momentumBuffer: buf }, { lr: o.lr, alpha: o.alpha, eps: o.eps, weightDecay: o.weightDecay, momentum: o.momentum, centered: o.centered, maximize: o.maximize });
  }
}
