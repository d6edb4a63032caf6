import { defineOp } from '../op';
import type { Tensor } from '../tensor';
import { asFloat } from './internal/common';
import { kernelBacked, unaryKernel } from './internal/elementwise';

/** e^x; int32 input is computed as float32. */
export const exp = defineOp(kernelBacked('exp'), (x: Tensor): Tensor => unaryKernel('exp', asFloat(x.live('exp'))));
