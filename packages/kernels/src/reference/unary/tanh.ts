import type { UnaryReference } from '../unary';

export const tanh: UnaryReference = {
  reads: 'y',
  costly: ['forward'],
  forward: (x) => Math.tanh(x),
  backward: (_x, y, dy) => dy * (1 - y * y),
  check: { tolerance: 2e-7 },
};
