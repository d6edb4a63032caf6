import type { UnaryReference } from '../unary';

/** x + p: addition of a number. */
export const shift: UnaryReference = {
  reads: 'neither',
  forward: (x, p) => x + p,
  backward: (_x, _y, dy) => dy,
  check: { tolerance: 0, parameters: [0.75] },
};
