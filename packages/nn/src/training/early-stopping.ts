import { checkOptions, type Tensor } from '@backprop/autograd';
import { copiesOf } from '../module';
import type { Callback, EpochLogs, FitState, Monitor } from './callback';
import { BestValue, type Mode } from './best-value';

export interface EarlyStoppingOptions {
  /** What to watch (default 'valLoss'). */
  monitor?: Monitor;
  /** Epochs without improvement after which training stops (default 0: the first epoch that does not improve). */
  patience?: number;
  /** A change smaller than this is not an improvement (default 0). */
  minDelta?: number;
  /** Whether lower or higher is better; 'auto' (default): higher for accuracies. */
  mode?: Mode;
  /** When training ends, however it ends, put back the weights (and buffers) of the best epoch (default false). */
  restoreBestWeights?: boolean;
}

/**
 * Stops training once the monitored quantity has not improved for `patience` epochs, as Keras' EarlyStopping
 * and Lightning's: with patience 3 and the best epoch at 1, training stops at the end of epoch 4.
 */
export class EarlyStopping implements Callback {
  /** The epoch (from 1) with the best value so far, 0 before the first. */
  bestEpoch = 0;
  /** The epoch after which training was stopped, 0 if it was not. */
  stoppedEpoch = 0;
  private readonly watched: BestValue;
  private readonly patience: number;
  private readonly restoreBestWeights: boolean;
  private wait = 0;
  private bestWeights: Map<string, Tensor> | undefined;

  constructor(options: EarlyStoppingOptions = {}) {
    checkOptions('EarlyStopping', options, { monitor: 'valLoss', patience: 0, minDelta: 0, mode: 'auto', restoreBestWeights: false } satisfies Required<EarlyStoppingOptions>);
    const { monitor = 'valLoss', patience = 0, minDelta = 0, mode = 'auto', restoreBestWeights = false } = options;
    if (!Number.isInteger(patience) || patience < 0) throw new RangeError(`EarlyStopping: patience must be a whole number of epochs >= 0, got ${patience}`);
    this.watched = new BestValue('EarlyStopping', monitor, mode, minDelta);
    this.patience = patience;
    this.restoreBestWeights = restoreBestWeights;
  }

  /** The best monitored value so far. */
  get best(): number {
    return this.watched.best;
  }

  onEpochEnd(logs: EpochLogs, state: FitState): void {
    if (this.watched.update(this.watched.read(logs))) {
      this.bestEpoch = logs.epoch;
      this.wait = 0;
      // Copies with their own storage: the state dict's tensors share the parameters' data.
      if (this.restoreBestWeights) this.bestWeights = copiesOf(state.model.stateDict());
    } else if (++this.wait >= this.patience) {
      this.stoppedEpoch = logs.epoch;
      state.stopTraining = true;
    }
  }

  onTrainEnd(state: FitState): void {
    if (this.bestWeights) state.model.loadStateDict(this.bestWeights);
  }
}
