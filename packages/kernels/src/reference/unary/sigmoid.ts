import { sigmoid as logistic } from '../math';
import type { UnaryReference } from '../unary';

export const sigmoid: UnaryReference = {
  reads: 'y',
  costly: ['forward'],
  forward: (x) => logistic(x),
  backward: (_x, y, dy) => dy * y * (1 - y),
  check: { tolerance: 4e-7 },
};
