import type { UnaryReference } from '../unary';

export const exp: UnaryReference = {
  reads: 'y',
  costly: ['forward'],
  forward: (x) => Math.exp(x),
  backward: (_x, y, dy) => dy * y,
  check: { tolerance: 2e-7 },
};
