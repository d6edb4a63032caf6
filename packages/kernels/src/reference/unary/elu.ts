import type { UnaryReference } from '../unary';

/** x for x > 0, else p (e^x - 1) (p: alpha); the derivative there is y + p. */
export const elu: UnaryReference = {
  reads: 'both',
  costly: ['forward'],
  forward: (x, p) => (x > 0 ? x : p * Math.expm1(x)),
  backward: (x, y, dy, p) => (x > 0 ? dy : dy * (y + p)),
  check: { tolerance: 4e-7, parameters: [1, 0.5] },
};
