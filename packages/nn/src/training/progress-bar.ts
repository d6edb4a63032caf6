import type { BatchLogs, Callback, EpochLogs, FitState } from './callback';

/** A progress bar on stderr, one line per epoch (fit adds one when `progress` is on). */
export class ProgressBar implements Callback {
  private total = 0;
  private count = 0;
  private batches = 0;

  onEpochBegin(): void {
    this.total = this.count = this.batches = 0;
  }

  onBatchEnd({ epoch, size, loss }: BatchLogs, state: FitState): void {
    this.total += loss * size;
    this.count += size;
    this.batches++;
    write(bar(epoch, state, this.batches, this.total / this.count));
  }

  onEpochEnd(logs: EpochLogs, state: FitState): void {
    write(`${bar(logs.epoch, state, this.batches, logs.loss)}${logs.valLoss !== undefined ? ` val ${logs.valLoss.toFixed(4)}` : ''}\n`);
  }
}

function bar(epoch: number, { epochs, batchesPerEpoch }: FitState, done: number, loss: number): string {
  const width = 24;
  const total = batchesPerEpoch ?? done;
  const filled = total > 0 ? Math.round((done / total) * width) : width;
  return `\repoch ${epoch}/${epochs} [${'='.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total} loss ${loss.toFixed(4)}`;
}

function write(text: string): void {
  (globalThis as { process?: { stderr?: { write(s: string): void } } }).process?.stderr?.write(text);
}

/** Whether stderr is a terminal (fit's default for `progress`). */
export function isTerminal(): boolean {
  const stderr = (globalThis as { process?: { stderr?: { isTTY?: boolean } } }).process?.stderr;
  return stderr?.isTTY === true;
}
