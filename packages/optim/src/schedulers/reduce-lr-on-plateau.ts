import { checkOptions } from '@backprop/autograd';
import type { Optimizer } from '../optimizer';
import { checkRange } from '../options';

export interface ReduceLROnPlateauOptions {
  mode: 'min' | 'max';
  factor: number;
  patience: number;
  threshold: number;
  thresholdMode: 'rel' | 'abs';
  cooldown: number;
  minLr: number;
  eps: number;
}

/**
 * Multiplies the learning rate by `factor` once the metric has not improved for more than `patience`
 * epochs (by `threshold`, relative or absolute); then waits `cooldown` epochs. step(metric) each epoch.
 */
export class ReduceLROnPlateau {
  /** Stepped with a metric, not per epoch (fit() and other loops look for this). */
  readonly metricDriven = true;
  private readonly options: ReduceLROnPlateauOptions;
  private best: number;
  private badEpochs = 0;
  private cooldownLeft = 0;

  constructor(readonly optimizer: Optimizer, options: Partial<ReduceLROnPlateauOptions> = {}) {
    const defaults: ReduceLROnPlateauOptions = { mode: 'min', factor: 0.1, patience: 10, threshold: 1e-4, thresholdMode: 'rel', cooldown: 0, minLr: 0, eps: 1e-8 };
    checkOptions('ReduceLROnPlateau', options, defaults);
    this.options = { ...defaults, ...options };
    const o = this.options;
    if (o.mode !== 'min' && o.mode !== 'max') throw new RangeError(`ReduceLROnPlateau: invalid mode '${String(o.mode)}' ('min' or 'max')`);
    if (o.thresholdMode !== 'rel' && o.thresholdMode !== 'abs') throw new RangeError(`ReduceLROnPlateau: invalid thresholdMode '${String(o.thresholdMode)}' ('rel' or 'abs')`);
    checkRange('ReduceLROnPlateau', 'factor', o.factor, 0, 1);
    for (const key of ['patience', 'cooldown'] as const) {
      if (!(Number.isInteger(o[key]) && o[key] >= 0)) throw new RangeError(`ReduceLROnPlateau: invalid ${key} ${o[key]} (a non-negative integer)`);
    }
    checkRange('ReduceLROnPlateau', 'threshold', o.threshold, 0);
    checkRange('ReduceLROnPlateau', 'minLr', o.minLr, 0);
    this.best = o.mode === 'min' ? Infinity : -Infinity;
  }

  private improves(metric: number): boolean {
    const { mode, thresholdMode, threshold } = this.options;
    if (mode === 'min') return thresholdMode === 'rel' ? metric < this.best * (1 - threshold) : metric < this.best - threshold;
    return thresholdMode === 'rel' ? metric > this.best * (1 + threshold) : metric > this.best + threshold;
  }

  step(metric: number): void {
    if (typeof metric !== 'number' || Number.isNaN(metric)) throw new TypeError(`ReduceLROnPlateau.step: the metric must be a number, got ${String(metric)}`);
    if (this.improves(metric)) {
      this.best = metric;
      this.badEpochs = 0;
    } else this.badEpochs++;
    if (this.cooldownLeft > 0) {
      this.cooldownLeft--;
      this.badEpochs = 0;
    }
    if (this.badEpochs > this.options.patience) {
      for (const g of this.optimizer.paramGroups) {
        const next = Math.max(g.lr * this.options.factor, this.options.minLr);
        if (g.lr - next > this.options.eps) g.lr = next;
      }
      this.cooldownLeft = this.options.cooldown;
      this.badEpochs = 0;
    }
  }

  get lastLr(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }
}
