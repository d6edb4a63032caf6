// Shared by the training tests: a hand-written optimiser (nn may not import optim) and a small dataset.
import { tensor, type Tensor } from '@backprop/autograd';

/** A tiny optimiser for these tests (nn may not import optim): p -= lr grad. */
export function sgd(params: Tensor[], lr: number): { zeroGrad: () => void; step: () => void; lr: number } {
  return {
    lr,
    zeroGrad: () => params.forEach((p) => p.zeroGrad()),
    step: () => params.forEach((p) => p.grad && p.detach().sub_(p.grad, lr)),
  };
}

export function blobs(n: number): { x: Tensor; y: Tensor } {
  // Three separable classes around (0, 4), (4, 0), (-4, -4).
  const centres = [[0, 4], [4, 0], [-4, -4]] as const;
  const xs: number[][] = [];
  const ys: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    xs.push([centres[c]![0] + Math.sin(i * 1.7), centres[c]![1] + Math.cos(i * 2.3)]);
    ys.push(c);
  }
  return { x: tensor(xs), y: tensor(ys, { dtype: 'int32' }) };
}
