import { defineOp } from '../op';
import { closedOverInts, kernelBacked } from './internal/elementwise';

/** x * x; int32 stays int32 (wrapping as PyTorch's does). */
export const square = defineOp(kernelBacked('square'), closedOverInts('square', (v) => Math.imul(v, v)));
