import type { Optimizer } from '../optimizer';
import { LRScheduler } from './lr-scheduler';

export interface LinearLROptions {
  startFactor: number;
  endFactor: number;
  totalIters: number;
}

/** lr = base factor, the factor moving linearly from startFactor to endFactor over totalIters epochs (warm-up). */
export class LinearLR extends LRScheduler {
  private readonly options: LinearLROptions;

  constructor(optimizer: Optimizer, options: Partial<LinearLROptions> = {}) {
    const defaults: LinearLROptions = { startFactor: 1 / 3, endFactor: 1, totalIters: 5 };
    super(optimizer, 'LinearLR', options, defaults);
    this.options = { ...defaults, ...options };
    const { startFactor, endFactor, totalIters } = this.options;
    if (!(startFactor > 0 && startFactor <= 1)) throw new RangeError(`LinearLR: invalid startFactor ${startFactor} (in (0, 1])`);
    if (!(endFactor >= 0 && endFactor <= 1)) throw new RangeError(`LinearLR: invalid endFactor ${endFactor} (in [0, 1])`);
    if (!(Number.isInteger(totalIters) && totalIters > 0)) throw new RangeError(`LinearLR: invalid totalIters ${totalIters} (a positive integer)`);
    this.start();
  }

  protected lrAt(epoch: number, base: number): number {
    const { startFactor, endFactor, totalIters } = this.options;
    return base * (startFactor + ((endFactor - startFactor) * Math.min(epoch, totalIters)) / totalIters);
  }
}
