import { sigmoid } from '../math';
import type { UnaryReference } from '../unary';

/** log(1 + e^x), without overflow; the derivative is sigmoid(x). */
export const softplus: UnaryReference = {
  reads: 'x',
  costly: ['forward', 'backward'],
  forward: (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))),
  backward: (x, _y, dy) => dy * sigmoid(x),
  check: { tolerance: 4e-7 },
};
