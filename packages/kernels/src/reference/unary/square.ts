import type { UnaryReference } from '../unary';

export const square: UnaryReference = {
  reads: 'x',
  forward: (x) => x * x,
  backward: (x, _y, dy) => dy * 2 * x,
  check: { tolerance: 0 },
};
