import type { Optimizer } from '../optimizer';
import { checkRange } from '../options';
import { LRScheduler } from './lr-scheduler';

export interface StepLROptions {
  stepSize: number;
  gamma: number;
}

/** lr = base gamma^floor(epoch / stepSize): decay by gamma every stepSize epochs. */
export class StepLR extends LRScheduler {
  private readonly options: StepLROptions;

  constructor(optimizer: Optimizer, options: Partial<StepLROptions> & { stepSize: number }) {
    const defaults: StepLROptions = { stepSize: 1, gamma: 0.1 };
    super(optimizer, 'StepLR', options, defaults, ['stepSize']);
    this.options = { ...defaults, ...options };
    if (!(Number.isInteger(this.options.stepSize) && this.options.stepSize > 0)) throw new RangeError(`StepLR: invalid stepSize ${this.options.stepSize} (a positive integer)`);
    checkRange('StepLR', 'gamma', this.options.gamma, 0);
    this.start();
  }

  protected lrAt(epoch: number, base: number): number {
    return base * this.options.gamma ** Math.floor(epoch / this.options.stepSize);
  }
}
