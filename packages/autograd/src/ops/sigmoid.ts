import { defineOp } from '../op';
import type { Tensor } from '../tensor';
import { asFloat } from './internal/common';
import { kernelBacked, unaryKernel } from './internal/elementwise';

/** 1 / (1 + e^-x), without overflow; int32 input is computed as float32. */
export const sigmoid = defineOp(kernelBacked('sigmoid'), (x: Tensor): Tensor => unaryKernel('sigmoid', asFloat(x.live('sigmoid'))));
