import { fusedUpdate, updates, type Tensor } from '@backprop/autograd';
import { Optimizer, type ParamGroup, type ParamGroupSpec, type ParamState } from './optimizer';
import { checkBetas, checkNonNegative } from './options';

export interface AdamaxOptions {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  maximize: boolean;
}

/** Adamax: Adam with the infinity norm, u = max(beta2 u, |g| + eps) in place of the squared average. */
export class Adamax extends Optimizer<AdamaxOptions> {
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupSpec<AdamaxOptions>>, options: Partial<AdamaxOptions> = {}) {
    super('Adamax', params, { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maximize: false }, options);
  }

  protected validate(o: AdamaxOptions): void {
    checkNonNegative(this.name, o, ['lr', 'eps', 'weightDecay']);
    checkBetas(this.name, o.betas);
  }

  protected update(p: Tensor, g: Tensor, state: ParamState, o: ParamGroup<AdamaxOptions>): void {
    if (state.step === undefined) {
      state.step = 0;
      state.expAvg = this.buffer(p);
      state.expInf = this.buffer(p);
    }
    const step = (state.step as number) + 1;
    state.step = step;
    const [beta1, beta2] = o.betas;
    const clr = o.lr / (1 - beta1 ** step);
    fusedUpdate(updates.adamax, { param: p, grad: g, expAvg: state.expAvg as Tensor, expInf: state.expInf as Tensor }, { beta1, beta2, eps: o.eps, clr, weightDecay: o.weightDecay, maximize: o.maximize });
  }
}
