import type { Optimizer } from '../optimizer';
import { checkRange } from '../options';
import { LRScheduler } from './lr-scheduler';

export interface CosineAnnealingLROptions {
  tMax: number;
  etaMin: number;
}

/** lr = etaMin + (base - etaMin)(1 + cos(pi epoch / tMax)) / 2 (SGDR without restarts). */
export class CosineAnnealingLR extends LRScheduler {
  private readonly options: CosineAnnealingLROptions;

  constructor(optimizer: Optimizer, options: Partial<CosineAnnealingLROptions> & { tMax: number }) {
    const defaults: CosineAnnealingLROptions = { tMax: 1, etaMin: 0 };
    super(optimizer, 'CosineAnnealingLR', options, defaults, ['tMax']);
    this.options = { ...defaults, ...options };
    if (!(Number.isInteger(this.options.tMax) && this.options.tMax > 0)) throw new RangeError(`CosineAnnealingLR: invalid tMax ${this.options.tMax} (a positive integer)`);
    checkRange('CosineAnnealingLR', 'etaMin', this.options.etaMin, 0);
    this.start();
  }

  protected lrAt(epoch: number, base: number): number {
    const { tMax, etaMin } = this.options;
    return etaMin + ((base - etaMin) * (1 + Math.cos((Math.PI * epoch) / tMax))) / 2;
  }
}
