import { fusedUpdate, updates, type Tensor } from '@backprop/autograd';
import { Optimizer, type ParamGroup, type ParamGroupSpec, type ParamState } from './optimizer';
import { checkBetas, checkNonNegative } from './options';

export interface AdamOptions {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
}

/**
 * Adam's step, shared by Adam (L2 weight decay added to the gradient) and AdamW (decoupled decay:
 * p *= 1 - lr weightDecay first). Bias correction divides the averages by 1 - beta^t.
 */
abstract class AdamFamily extends Optimizer<AdamOptions> {
  protected abstract readonly decoupled: boolean;

  protected validate(o: AdamOptions): void {
    checkNonNegative(this.name, o, ['lr', 'eps', 'weightDecay']);
    checkBetas(this.name, o.betas);
  }

  protected update(p: Tensor, g: Tensor, state: ParamState, o: ParamGroup<AdamOptions>): void {
    if (state.step === undefined) {
      state.step = 0;
      state.expAvg = this.buffer(p);
      state.expAvgSq = this.buffer(p);
      if (o.amsgrad) state.maxExpAvgSq = this.buffer(p);
    }
    const step = (state.step as number) + 1;
    state.step = step;
    const [beta1, beta2] = o.betas;
    const stepSize = o.lr / (1 - beta1 ** step);
    const bc2Sqrt = Math.sqrt(1 - beta2 ** step);
    const v = state.expAvgSq as Tensor;
    const vmax = (state.maxExpAvgSq as Tensor | undefined) ?? v; // untouched without amsgrad
    const [weightDecay, decay] = this.decoupled ? [0, 1 - o.lr * o.weightDecay] : [o.weightDecay, 1];
    fusedUpdate(updates.adam, { param: p, grad: g, expAvg: state.expAvg as Tensor, expAvgSq: v, maxExpAvgSq: vmax }, {
      beta1, beta2, stepSize, bc2Sqrt, eps: o.eps, weightDecay, decay, amsgrad: o.amsgrad, maximize: o.maximize,
    });
  }
}

/** Adam (Kingma and Ba, 2015) with bias correction and optional AMSGrad. */
export class Adam extends AdamFamily {
  protected readonly decoupled = false;

  constructor(params: Iterable<Tensor> | Iterable<ParamGroupSpec<AdamOptions>>, options: Partial<AdamOptions> = {}) {
    super('Adam', params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false }, options);
  }
}

/** AdamW (Loshchilov and Hutter, 2019): Adam with decoupled weight decay (default 0.01). */
export class AdamW extends AdamFamily {
  protected readonly decoupled = true;

  constructor(params: Iterable<Tensor> | Iterable<ParamGroupSpec<AdamOptions>>, options: Partial<AdamOptions> = {}) {
    super('AdamW', params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 1e-2, amsgrad: false, maximize: false }, options);
  }
}
