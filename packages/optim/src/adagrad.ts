import { fusedUpdate, updates, type Tensor } from '@backprop/autograd';
import { Optimizer, type ParamGroup, type ParamGroupSpec, type ParamState } from './optimizer';
import { checkNonNegative } from './options';

export interface AdagradOptions {
  lr: number;
  lrDecay: number;
  weightDecay: number;
  initialAccumulatorValue: number;
  eps: number;
  maximize: boolean;
}

/** Adagrad: per-coordinate steps lr / (sqrt(sum of squared gradients) + eps), with lr decaying as 1 / (1 + t lrDecay). */
export class Adagrad extends Optimizer<AdagradOptions> {
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupSpec<AdagradOptions>>, options: Partial<AdagradOptions> = {}) {
    super('Adagrad', params, { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false }, options);
  }

  protected validate(o: AdagradOptions): void {
    checkNonNegative(this.name, o, ['lr', 'lrDecay', 'weightDecay', 'initialAccumulatorValue', 'eps']);
  }

  protected update(p: Tensor, g: Tensor, state: ParamState, o: ParamGroup<AdagradOptions>): void {
    if (state.step === undefined) {
      state.step = 0;
      state.sum = this.buffer(p, o.initialAccumulatorValue);
    }
    const step = (state.step as number) + 1;
    state.step = step;
    const clr = o.lr / (1 + (step - 1) * o.lrDecay);
    fusedUpdate(updates.adagrad, { param: p, grad: g, sum: state.sum as Tensor }, { clr, eps: o.eps, weightDecay: o.weightDecay, maximize: o.maximize });
  }
}
