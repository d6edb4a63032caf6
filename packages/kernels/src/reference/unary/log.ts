import type { UnaryReference } from '../unary';

export const log: UnaryReference = {
  reads: 'x',
  costly: ['forward'],
  forward: (x) => Math.log(x),
  backward: (x, _y, dy) => dy / x,
  check: { tolerance: 2e-7, domain: 'positive' },
};
