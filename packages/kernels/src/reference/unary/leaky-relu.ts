import type { UnaryReference } from '../unary';

/** x for x > 0, else p x (p: the negative slope). */
export const leakyRelu: UnaryReference = {
  reads: 'x',
  forward: (x, p) => (x > 0 ? x : x * p),
  backward: (x, _y, dy, p) => (x > 0 ? dy : dy * p),
  check: { tolerance: 0, parameters: [0.01, 0.2] },
};
