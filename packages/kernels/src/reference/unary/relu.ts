import type { UnaryReference } from '../unary';

/** max(x, 0), NaN kept; backward from y, which PyTorch saves (y > 0 exactly where x > 0). */
export const relu: UnaryReference = {
  reads: 'y',
  forward: (x) => (Number.isNaN(x) ? x : Math.max(0, x)),
  backward: (_x, y, dy) => (y > 0 ? dy : 0),
  check: { tolerance: 0 },
};
