import { fusedUpdate, updates, type Tensor } from '@backprop/autograd';
import { Optimizer, type ParamGroup, type ParamGroupSpec, type ParamState } from './optimizer';
import { checkNonNegative, checkRange } from './options';

export interface AdadeltaOptions {
  lr: number;
  rho: number;
  eps: number;
  weightDecay: number;
  maximize: boolean;
}

/** Adadelta: steps scaled by RMS(past updates) / RMS(gradients), so lr 1 is a natural default. */
export class Adadelta extends Optimizer<AdadeltaOptions> {
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupSpec<AdadeltaOptions>>, options: Partial<AdadeltaOptions> = {}) {
    super('Adadelta', params, { lr: 1, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false }, options);
  }

  protected validate(o: AdadeltaOptions): void {
    checkNonNegative(this.name, o, ['lr', 'eps', 'weightDecay']);
    checkRange(this.name, 'rho', o.rho, 0, 1.0000001);
  }

  protected update(p: Tensor, g: Tensor, state: ParamState, o: ParamGroup<AdadeltaOptions>): void {
    if (state.squareAvg === undefined) {
      state.step = 0;
      state.squareAvg = this.buffer(p);
      state.accDelta = this.buffer(p);
    }
    state.step = (state.step as number) + 1;
    fusedUpdate(updates.adadelta, { param: p, grad: g, squareAvg: state.squareAvg as Tensor, accDelta: state.accDelta as Tensor }, { lr: o.lr, rho: o.rho, eps: o.eps, weightDecay: o.weightDecay, maximize: o.maximize });
  }
}
