import { defineOp } from '../op';
import type { Tensor } from '../tensor';
import { asFloat } from './internal/common';
import { kernelBacked, unaryKernel } from './internal/elementwise';

/** The square root; int32 input is computed as float32, as PyTorch promotes it. */
export const sqrt = defineOp(kernelBacked('sqrt'), (x: Tensor): Tensor => unaryKernel('sqrt', asFloat(x.live('sqrt'))));
