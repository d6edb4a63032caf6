import { defineOp } from '../op';
import type { Tensor } from '../tensor';
import { kernelBacked, unaryKernel } from './internal/elementwise';

/** log(1 + e^x), without overflow: a smooth relu. */
export const softplus = defineOp(kernelBacked('softplus'), (x: Tensor): Tensor => unaryKernel('softplus', x));
