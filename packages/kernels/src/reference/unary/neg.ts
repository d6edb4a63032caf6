import type { UnaryReference } from '../unary';

export const neg: UnaryReference = {
  reads: 'neither',
  forward: (x) => -x,
  backward: (_x, _y, dy) => -dy,
  check: { tolerance: 0 },
};
