import { defineOp } from '../op';
import { closedOverInts, kernelBacked } from './internal/elementwise';

/** |x|; int32 stays int32. The gradient at 0 is 0, as in PyTorch. */
export const abs = defineOp(kernelBacked('abs'), closedOverInts('abs', (v) => Math.abs(v) | 0));
