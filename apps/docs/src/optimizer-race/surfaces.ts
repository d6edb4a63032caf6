// The 2-D test functions of the optimiser race, written once on tensors: the same expression gives the loss
// of one point (for the optimisers) and of a whole grid (for the contour plot).
import { type Tensor } from '@backprop/autograd';

export interface Surface {
  label: string;
  f: (x: Tensor, y: Tensor) => Tensor;
  domain: { x: [number, number]; y: [number, number] };
  start: [number, number];
  minimum: [number, number] | null;
  /** Each optimiser's starting learning rate here: one that makes progress without diverging in 300 steps. */
  lr: Record<string, number>;
}

export const surfaceNames = ['rosenbrock', 'saddle', 'beale'] as const;
export type SurfaceName = (typeof surfaceNames)[number];

export const surfaces: Record<SurfaceName, Surface> = {
  rosenbrock: {
    label: 'Rosenbrock (1 − x)² + 100 (y − x²)²',
    f: (x, y) => x.neg().add(1).square().add(y.sub(x.square()).square().mul(100)),
    domain: { x: [-2, 2], y: [-1, 3] },
    start: [-1.5, 2.5],
    minimum: [1, 1],
    lr: { sgd: 1e-3, momentum: 1e-3, nesterov: 1e-3, adagrad: 0.3, adadelta: 1, rmsprop: 0.01, adam: 0.1, adamw: 0.1, adamax: 0.3, nadam: 0.1 },
  },
  saddle: {
    label: 'Saddle x² − y²',
    f: (x, y) => x.square().sub(y.square()),
    domain: { x: [-2, 2], y: [-2, 2] },
    start: [-1.8, 0.001],
    minimum: null,
    lr: { sgd: 0.01, momentum: 1e-3, nesterov: 1e-3, adagrad: 0.1, adadelta: 1, rmsprop: 0.01, adam: 0.01, adamw: 0.01, adamax: 0.01, nadam: 0.01 },
  },
  beale: {
    label: 'Beale',
    f: (x, y) => {
      const term = (c: number, power: number): Tensor => x.mul(y.pow(power)).sub(x).add(c).square();
      return term(1.5, 1).add(term(2.25, 2)).add(term(2.625, 3));
    },
    domain: { x: [-4.5, 4.5], y: [-4.5, 4.5] },
    start: [1, 1.5],
    minimum: [3, 0.5],
    lr: { sgd: 0.01, momentum: 1e-3, nesterov: 1e-3, adagrad: 0.3, adadelta: 1, rmsprop: 0.03, adam: 0.03, adamw: 0.03, adamax: 0.1, nadam: 0.03 },
  },
};
