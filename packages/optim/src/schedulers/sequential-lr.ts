import { checkOptions } from '@backprop/autograd';
import type { Optimizer } from '../optimizer';
import { LRScheduler } from './lr-scheduler';

/**
 * Runs schedulers one after another, switching at the milestone epochs (warm-up then decay):
 * scheduler k takes over at milestones[k - 1], starting from its own epoch 0.
 */
export class SequentialLR {
  private lastEpoch = 0;

  constructor(readonly optimizer: Optimizer, private readonly options: { schedulers: LRScheduler[]; milestones: number[] }) {
    checkOptions('SequentialLR', options, { schedulers: [], milestones: [] });
    const { schedulers, milestones } = options ?? {};
    if (!Array.isArray(schedulers) || schedulers.length === 0 || schedulers.some((s) => !(s instanceof LRScheduler))) {
      throw new TypeError('SequentialLR: schedulers must be a non-empty array of schedulers');
    }
    if (schedulers.some((s) => s.optimizer !== optimizer)) throw new Error('SequentialLR: every scheduler must drive the same optimizer');
    if (!Array.isArray(milestones) || milestones.length !== schedulers.length - 1) {
      throw new RangeError(`SequentialLR: expected ${schedulers.length - 1} milestones for ${schedulers.length} schedulers, got ${JSON.stringify(milestones)}`);
    }
    // Building the schedulers applied each one's epoch 0; the first one rules at the start.
    schedulers[0]!.step(0);
  }

  step(): void {
    this.lastEpoch++;
    const { schedulers, milestones } = this.options;
    const index = milestones.filter((m) => m <= this.lastEpoch).length;
    const active = schedulers[index]!;
    if (index > 0 && milestones[index - 1] === this.lastEpoch) active.step(0);
    else active.step();
  }

  get lastLr(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }
}
