import { defineOp } from '../op';
import type { Tensor } from '../tensor';
import { kernelBacked, numberParameter, unaryKernel } from './internal/elementwise';

/** x for x > 0, negativeSlope * x otherwise. */
export const leakyRelu = defineOp(kernelBacked('leakyRelu'), (x: Tensor, negativeSlope = 0.01): Tensor =>
  unaryKernel('leakyRelu', x, numberParameter('leakyRelu', 'negativeSlope', negativeSlope), { negativeSlope }));
