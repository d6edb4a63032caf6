import type { Optimizer } from '../optimizer';
import { checkRange } from '../options';
import { LRScheduler } from './lr-scheduler';

/** lr = base gamma^epoch. */
export class ExponentialLR extends LRScheduler {
  private readonly gamma: number;

  constructor(optimizer: Optimizer, options: { gamma: number }) {
    super(optimizer, 'ExponentialLR', options, { gamma: 0 }, ['gamma']);
    this.gamma = options.gamma;
    checkRange('ExponentialLR', 'gamma', this.gamma, 0);
    this.start();
  }

  protected lrAt(epoch: number, base: number): number {
    return base * this.gamma ** epoch;
  }
}
