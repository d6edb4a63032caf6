import type { UnaryReference } from '../unary';

/** p x: multiplication by a number. */
export const scale: UnaryReference = {
  reads: 'neither',
  forward: (x, p) => x * p,
  backward: (_x, _y, dy, p) => dy * p,
  check: { tolerance: 0, parameters: [-2.5] },
};
