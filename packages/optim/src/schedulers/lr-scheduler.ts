import { checkOptions, describeValue } from '@backprop/autograd';
import { Optimizer } from '../optimizer';


// Each group's learning rate when the first scheduler was attached (PyTorch's initial_lr), so schedulers
// built one after another (as SequentialLR takes them) share the same base.
const initialLrs = new WeakMap<Optimizer, number[]>();

export function baseLrsOf(optimizer: Optimizer): number[] {
  let lrs = initialLrs.get(optimizer);
  if (!lrs) initialLrs.set(optimizer, (lrs = optimizer.paramGroups.map((g) => g.lr)));
  return lrs;
}

export interface SchedulerStateDict {
  lastEpoch: number;
}

/**
 * A schedule in closed form: lr = lrAt(epoch, base lr). Construction applies epoch 0 (as PyTorch's initial
 * step does); step() advances one epoch, or jumps to the given one.
 */
export abstract class LRScheduler {
  protected lastEpoch = 0;
  protected readonly baseLrs: number[];

  /** `required`: the options PyTorch has no default for (a missing one is an error, not a made-up schedule). */
  protected constructor(readonly optimizer: Optimizer, name: string, options: object, defaults: object, required: readonly string[] = []) {
    if (!(optimizer instanceof Optimizer)) throw new TypeError(`${name}: the first argument must be an optimiser (new Adam(...), say), got ${describeValue(optimizer)}`);
    checkOptions(name, options, defaults);
    const missing = required.filter((key) => (options as Record<string, unknown> | undefined)?.[key] === undefined);
    if (missing.length > 0) throw new TypeError(`${name}: ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} required`);
    this.baseLrs = baseLrsOf(optimizer);
  }

  /** Subclasses call this at the end of their constructor, once their options are set. */
  protected start(): void {
    this.apply();
  }

  protected abstract lrAt(epoch: number, base: number): number;

  step(epoch?: number): void {
    if (epoch !== undefined && !(Number.isInteger(epoch) && epoch >= 0)) throw new RangeError(`step: epoch must be a non-negative integer, got ${epoch}`);
    this.lastEpoch = epoch ?? this.lastEpoch + 1;
    this.apply();
  }

  /** The learning rates the last step set, one per parameter group. */
  get lastLr(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }

  stateDict(): SchedulerStateDict {
    return { lastEpoch: this.lastEpoch };
  }

  loadStateDict(state: SchedulerStateDict): void {
    this.lastEpoch = state.lastEpoch;
    this.apply();
  }

  private apply(): void {
    this.optimizer.paramGroups.forEach((g, i) => {
      g.lr = this.lrAt(this.lastEpoch, this.baseLrs[i]!);
    });
  }
}
