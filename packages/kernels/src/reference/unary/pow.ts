import type { UnaryReference } from '../unary';

/** x^p; the gradient of x^0 is 0 everywhere, x = 0 included (PyTorch's rule, where 0 * 0^-1 would be NaN). */
export const pow: UnaryReference = {
  reads: 'x',
  costly: ['forward', 'backward'],
  forward: (x, p) => Math.pow(x, p),
  backward: (x, _y, dy, p) => (p === 0 ? 0 : dy * p * Math.pow(x, p - 1)),
  check: { tolerance: 2e-7, parameters: [3, 0.5, -1.5, 0], domain: 'positive' },
};
