import { fusedUpdate, updates, type Tensor } from '@backprop/autograd';
import { Optimizer, type ParamGroup, type ParamGroupSpec, type ParamState } from './optimizer';
import { checkBetas, checkNonNegative } from './options';

export interface NAdamOptions {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  momentumDecay: number;
}

/**
 * NAdam (Dozat, 2016): Adam with Nesterov momentum and the momentum schedule mu_t = beta1 (1 - 0.96^(t psi) / 2),
 * exactly as PyTorch 1.13 computes it.
 */
export class NAdam extends Optimizer<NAdamOptions> {
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupSpec<NAdamOptions>>, options: Partial<NAdamOptions> = {}) {
    super('NAdam', params, { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, momentumDecay: 4e-3 }, options);
  }

  protected validate(o: NAdamOptions): void {
    checkNonNegative(this.name, o, ['lr', 'eps', 'weightDecay', 'momentumDecay']);
    checkBetas(this.name, o.betas);
  }

  protected update(p: Tensor, g: Tensor, state: ParamState, o: ParamGroup<NAdamOptions>): void {
    if (state.step === undefined) {
      state.step = 0;
      state.muProduct = 1;
      state.expAvg = this.buffer(p);
      state.expAvgSq = this.buffer(p);
    }
    const step = (state.step as number) + 1;
    state.step = step;
    const [beta1, beta2] = o.betas;
    const mu = beta1 * (1 - 0.5 * 0.96 ** (step * o.momentumDecay));
    const muNext = beta1 * (1 - 0.5 * 0.96 ** ((step + 1) * o.momentumDecay));
    // As PyTorch 1.13 (whose values the tests hold us to): muProduct is a float32 tensor, and the next
    // product is muProduct * mu * muNext, counting mu twice (later PyTorch versions drop the extra mu).
    const f = Math.fround;
    const muProduct = f((state.muProduct as number) * f(mu));
    state.muProduct = muProduct;
    const muProductNext = f(f(muProduct * f(mu)) * f(muNext));
    const gradCoef = (-o.lr * (1 - mu)) / (1 - muProduct);
    const avgCoef = (-o.lr * muNext) / (1 - muProductNext);
    fusedUpdate(updates.nadam, { param: p, grad: g, expAvg: state.expAvg as Tensor, expAvgSq: state.expAvgSq as Tensor }, {
      beta1, beta2, bc2: 1 - beta2 ** step, eps: o.eps, weightDecay: o.weightDecay, gradCoef, avgCoef,
    });
  }
}
