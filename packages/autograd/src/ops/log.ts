import { defineOp } from '../op';
import type { Tensor } from '../tensor';
import { asFloat } from './internal/common';
import { kernelBacked, unaryKernel } from './internal/elementwise';

/** The natural logarithm; int32 input is computed as float32. */
export const log = defineOp(kernelBacked('log'), (x: Tensor): Tensor => unaryKernel('log', asFloat(x.live('log'))));
