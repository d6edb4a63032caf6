import type { EpochLogs, Monitor } from './callback';

export type Mode = 'min' | 'max' | 'auto';

const monitors: readonly Monitor[] = ['valLoss', 'loss', 'valAccuracy', 'accuracy'];

/** The best value so far of a monitored quantity (EarlyStopping's and ModelCheckpoint's one rule). */
export class BestValue {
  readonly higherIsBetter: boolean;
  best: number;

  constructor(private readonly owner: string, readonly monitor: Monitor, mode: Mode, private readonly minDelta: number) {
    if (!monitors.includes(monitor)) throw new TypeError(`${owner}: monitor must be one of ${monitors.map((m) => `'${m}'`).join(', ')}, got ${String(monitor)}`);
    if (mode !== 'min' && mode !== 'max' && mode !== 'auto') throw new TypeError(`${owner}: mode must be 'min', 'max' or 'auto', got ${String(mode)}`);
    if (!(minDelta >= 0)) throw new RangeError(`${owner}: minDelta must be >= 0, got ${minDelta}`);
    this.higherIsBetter = mode === 'max' || (mode === 'auto' && monitor.endsWith('ccuracy'));
    this.best = this.higherIsBetter ? -Infinity : Infinity;
  }

  /** The monitored value in an epoch's logs; a run that does not log it is an error, not a silent no-op. */
  read(logs: EpochLogs): number {
    const value = logs[this.monitor];
    if (value === undefined) {
      const logged = monitors.filter((m) => logs[m] !== undefined).map((m) => `'${m}'`).join(', ');
      const hint = this.monitor.startsWith('val') ? ' (pass validation data to fit, or monitor a training quantity)' : '';
      throw new RangeError(`${this.owner}: monitors '${this.monitor}', which this run does not log (it logs ${logged})${hint}`);
    }
    return value;
  }

  /** Whether value beats the best by more than minDelta; if so it becomes the best. */
  update(value: number): boolean {
    const improved = this.higherIsBetter ? value - this.minDelta > this.best : value + this.minDelta < this.best;
    if (improved) this.best = value;
    return improved;
  }
}
