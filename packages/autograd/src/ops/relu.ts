import { defineOp } from '../op';
import { closedOverInts, kernelBacked } from './internal/elementwise';

/** max(x, 0); int32 stays int32. Backward reads the output, as PyTorch saves it. */
export const relu = defineOp(kernelBacked('relu'), closedOverInts('relu', (v) => Math.max(v, 0)));
