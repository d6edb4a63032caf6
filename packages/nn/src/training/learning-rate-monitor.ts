import { checkOptions } from '@backprop/autograd';
import type { BatchLogs, Callback, EpochLogs, FitState } from './callback';

export interface LearningRateMonitorOptions {
  /** Record the rate once per epoch (default) or at every step. */
  loggingInterval?: 'epoch' | 'step';
}

/**
 * Records the learning rate each epoch (or step) trained with, read before any scheduler changes it, and puts
 * the epoch's into its logs as `lr` (Lightning's LearningRateMonitor).
 */
export class LearningRateMonitor implements Callback {
  /** The rates used, one per epoch or per step. */
  readonly rates: number[] = [];
  private readonly perStep: boolean;
  private epochRate = NaN;

  constructor(options: LearningRateMonitorOptions = {}) {
    checkOptions('LearningRateMonitor', options, { loggingInterval: 'epoch' } satisfies Required<LearningRateMonitorOptions>);
    const { loggingInterval = 'epoch' } = options;
    if (loggingInterval !== 'epoch' && loggingInterval !== 'step') throw new TypeError(`LearningRateMonitor: loggingInterval must be 'epoch' or 'step', got ${String(loggingInterval)}`);
    this.perStep = loggingInterval === 'step';
  }

  onEpochBegin(_epoch: number, state: FitState): void {
    this.epochRate = rateOf(state);
    if (!this.perStep) this.rates.push(this.epochRate);
  }

  onBeforeOptimizerStep(_logs: BatchLogs, state: FitState): void {
    if (this.perStep) this.rates.push(rateOf(state));
  }

  onEpochEnd(logs: EpochLogs): void {
    logs.lr = this.epochRate;
  }
}

function rateOf(state: FitState): number {
  const lr = state.optimizer.lr;
  if (typeof lr !== 'number') throw new TypeError('LearningRateMonitor: the optimizer has no numeric lr to record');
  return lr;
}
