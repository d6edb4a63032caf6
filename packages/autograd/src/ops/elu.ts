import { defineOp } from '../op';
import type { Tensor } from '../tensor';
import { kernelBacked, numberParameter, unaryKernel } from './internal/elementwise';

/** x for x > 0, alpha (e^x - 1) otherwise. */
export const elu = defineOp(kernelBacked('elu'), (x: Tensor, alpha = 1): Tensor => unaryKernel('elu', x, numberParameter('elu', 'alpha', alpha), { alpha }));
