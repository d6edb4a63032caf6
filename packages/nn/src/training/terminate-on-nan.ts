import type { BatchLogs, Callback } from './callback';

/** Training produced a loss that is NaN or infinite; the weights are those before that batch's step. */
export class NonFiniteLossError extends Error {
  constructor(readonly epoch: number, readonly batch: number, readonly loss: number, readonly lastFinite: { epoch: number; batch: number; loss: number } | undefined) {
    const before = lastFinite
      ? `the last finite loss was ${lastFinite.loss} (epoch ${lastFinite.epoch}, batch ${lastFinite.batch})`
      : 'no batch had a finite loss';
    super(
      `fit: the loss is ${loss} at epoch ${epoch}, batch ${batch}; ${before}. Training stopped before this batch's step, so ` +
        'the weights are still finite. Try a lower learning rate, clipGradNorm, or check the data for NaN or extreme values.',
    );
    this.name = 'NonFiniteLossError';
  }
}

/** Stops fit with a NonFiniteLossError at the first NaN or infinite batch loss, before its step (fit adds it by default). */
export class TerminateOnNaN implements Callback {
  private lastFinite: { epoch: number; batch: number; loss: number } | undefined;

  onBeforeOptimizerStep({ epoch, batch, loss }: BatchLogs): void {
    if (!Number.isFinite(loss)) throw new NonFiniteLossError(epoch, batch, loss, this.lastFinite);
    this.lastFinite = { epoch, batch, loss };
  }
}
