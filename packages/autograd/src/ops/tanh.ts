import { defineOp } from '../op';
import type { Tensor } from '../tensor';
import { asFloat } from './internal/common';
import { kernelBacked, unaryKernel } from './internal/elementwise';

/** The hyperbolic tangent; int32 input is computed as float32. */
export const tanh = defineOp(kernelBacked('tanh'), (x: Tensor): Tensor => unaryKernel('tanh', asFloat(x.live('tanh'))));
