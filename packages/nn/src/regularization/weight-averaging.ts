import { checkOptions, noGrad, type Tensor } from '@backprop/autograd';
import { copiesOf, type Module, type StateDict } from '../module';
import type { Callback, FitState } from '../training/callback';

export interface WeightAveragingOptions {
  /** How much of the average each step keeps (default 0.999): avg = decay * avg + (1 - decay) * w. */
  decay?: number;
}

/**
 * An exponential moving average of a model's parameters (PyTorch's AveragedModel with an EMA, as a fit callback):
 * updated after every optimiser step, the first update copying the weights. Evaluate on it with `using`, keep it
 * with `model.loadStateDict(averaging.stateDict(model))`. Buffers (BatchNorm's statistics) stay the model's own.
 */
export class WeightAveraging implements Callback {
  /** How many times the average was updated. */
  updates = 0;
  private readonly decay: number;
  private averaged: Map<string, Tensor> | undefined;

  constructor(options: WeightAveragingOptions = {}) {
    checkOptions('WeightAveraging', options, { decay: 0.999 } satisfies Required<WeightAveragingOptions>);
    const { decay = 0.999 } = options;
    if (!(decay >= 0 && decay <= 1)) throw new RangeError(`WeightAveraging: decay must be in [0, 1], got ${decay}`);
    this.decay = decay;
  }

  onBatchEnd(_logs: unknown, { model }: FitState): void {
    this.update(model);
  }

  /** Folds the model's current parameters into the average. */
  update(model: Module): void {
    const averaged = this.averaged;
    if (!averaged) this.averaged = copiesOf(model.namedParameters());
    else {
      noGrad(() => {
        for (const [k, p] of model.namedParameters()) {
          const avg = averaged.get(k);
          if (!avg) throw new RangeError(`WeightAveraging: the model has a parameter '${k}' the average does not (one WeightAveraging per model)`);
          avg.mul_(this.decay).add_(p, 1 - this.decay);
        }
      });
    }
    this.updates++;
  }

  /** The model's state dict with the averaged parameters in place of its own. */
  stateDict(model: Module): StateDict {
    const averaged = this.averagedOrThrow();
    return new Map([...model.stateDict()].map(([k, t]) => [k, averaged.get(k) ?? t]));
  }

  /** Runs fn with the averaged parameters in the model, then puts the model's own back (also if fn throws). */
  using<T>(model: Module, fn: () => T): T {
    const own = copiesOf(model.namedParameters());
    model.loadStateDict(this.stateDict(model));
    try {
      return fn();
    } finally {
      model.loadStateDict(own, { strict: false });
    }
  }

  private averagedOrThrow(): Map<string, Tensor> {
    if (!this.averaged) throw new RangeError('WeightAveraging: nothing averaged yet (pass it to fit as a callback, or call update(model))');
    return this.averaged;
  }
}
