import { defineOp } from '../op';
import { closedOverInts, kernelBacked } from './internal/elementwise';

/** -x; int32 stays int32. */
export const neg = defineOp(kernelBacked('neg'), closedOverInts('neg', (v) => -v | 0));
