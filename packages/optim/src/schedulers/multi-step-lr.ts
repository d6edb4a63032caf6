import type { Optimizer } from '../optimizer';
import { checkRange } from '../options';
import { LRScheduler } from './lr-scheduler';

export interface MultiStepLROptions {
  milestones: number[];
  gamma: number;
}

/** lr = base gamma^(number of milestones reached): decay by gamma at each milestone epoch. */
export class MultiStepLR extends LRScheduler {
  private readonly options: MultiStepLROptions;

  constructor(optimizer: Optimizer, options: Partial<MultiStepLROptions> & { milestones: number[] }) {
    const defaults: MultiStepLROptions = { milestones: [], gamma: 0.1 };
    super(optimizer, 'MultiStepLR', options, defaults, ['milestones']);
    this.options = { ...defaults, ...options };
    const m = this.options.milestones;
    if (!Array.isArray(m) || m.some((v, i) => !Number.isInteger(v) || v < 0 || (i > 0 && v <= m[i - 1]!))) {
      throw new RangeError(`MultiStepLR: milestones must be increasing non-negative integers, got ${JSON.stringify(m)}`);
    }
    checkRange('MultiStepLR', 'gamma', this.options.gamma, 0);
    this.start();
  }

  protected lrAt(epoch: number, base: number): number {
    return base * this.options.gamma ** this.options.milestones.filter((m) => m <= epoch).length;
  }
}
