import type { UnaryReference } from '../unary';

/** |x|; the derivative sign(x) is 0 at x = 0, as in PyTorch. */
export const abs: UnaryReference = {
  reads: 'x',
  forward: (x) => Math.abs(x),
  backward: (x, _y, dy) => (x === 0 ? 0 : dy * Math.sign(x)),
  check: { tolerance: 0 },
};
