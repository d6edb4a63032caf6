import type { UnaryReference } from '../unary';

export const sqrt: UnaryReference = {
  reads: 'y',
  costly: ['forward'],
  forward: (x) => Math.sqrt(x),
  backward: (_x, y, dy) => dy / (2 * y),
  check: { tolerance: 0, domain: 'positive' },
};
