// What fit tells its callbacks, and when. fit is a loop over batches and epochs; everything else it does
// (progress, early stopping, checkpoints, gradient clipping, NaN checks) is a callback on these hooks.
import type { Module } from '../module';

/** What fit needs of an optimiser: any of @backprop/optim's, or a hand-written one. */
export interface FitOptimizer {
  zeroGrad(): void;
  step(): void;
  readonly lr?: number;
  /** The parameters it updates, when it says (as @backprop/optim's do): fit checks they are the model's. */
  readonly paramGroups?: readonly { readonly params: readonly unknown[] }[];
}

/** One training batch: its epoch (from 1), its index in the epoch (from 0), its rows and its loss. */
export interface BatchLogs {
  epoch: number;
  batch: number;
  size: number;
  loss: number;
}

/** One epoch's means over its batches, its validation results, and how long it took. */
export interface EpochLogs {
  epoch: number;
  loss: number;
  accuracy?: number;
  valLoss?: number;
  valAccuracy?: number;
  /** The learning rate this epoch trained with (logged by a LearningRateMonitor). */
  lr?: number;
  seconds: number;
}

/** A quantity of the epoch logs that callbacks can watch. */
export type Monitor = 'valLoss' | 'loss' | 'valAccuracy' | 'accuracy';

export interface History {
  epochs: EpochLogs[];
  /** A callback stopped training before the last epoch (early stopping). */
  stoppedEarly: boolean;
}

/** The run, as callbacks see it. */
export interface FitState {
  readonly model: Module;
  readonly optimizer: FitOptimizer;
  /** The epochs asked for. */
  readonly epochs: number;
  /** Batches per epoch, when the training data knows (tensors or a DataLoader). */
  readonly batchesPerEpoch: number | undefined;
  readonly history: History;
  /** A callback sets this to end training after the current batch (Keras' stop_training). */
  stopTraining: boolean;
}

/** Hooks fit calls in order (every callback's hook before the next hook); each is optional. */
export interface Callback {
  onTrainBegin?(state: FitState): void;
  onEpochBegin?(epoch: number, state: FitState): void;
  /** After backward, before the optimiser's step: the gradients are there to check or clip. */
  onBeforeOptimizerStep?(logs: BatchLogs, state: FitState): void;
  onBatchEnd?(logs: BatchLogs, state: FitState): void;
  onEpochEnd?(logs: EpochLogs, state: FitState): void;
  /** When training ends without an error (after the last epoch, or when a callback stopped it). */
  onTrainEnd?(state: FitState): void;
}
