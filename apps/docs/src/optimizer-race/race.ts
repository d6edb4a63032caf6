// Every optimiser from the same start on one surface: their paths, and the contour grid to draw them on.
import { noGrad, tensor } from '@backprop/autograd';
import { makeOptimizer } from '../choices';
import { type SurfaceName, surfaces } from './surfaces';

export interface Runner { optimizer: string; lr: number }
export interface Path {
  optimizer: string;
  /** x0, y0, x1, y1, ... one point per step (the start included) until the run ends or leaves the numbers. */
  points: Float32Array;
  finalLoss: number;
  diverged: boolean;
}

export function race(surfaceName: SurfaceName, runners: Runner[], steps: number): Path[] {
  const surface = surfaces[surfaceName];
  if (!surface) throw new RangeError(`unknown surface '${String(surfaceName)}' (${Object.keys(surfaces).join(', ')})`);
  if (!Number.isInteger(steps) || steps < 1 || steps > 10_000) throw new RangeError(`steps must be an integer in [1, 10000], got ${steps}`);
  return runners.map(({ optimizer, lr }) => {
    if (!(lr > 0 && Number.isFinite(lr))) throw new RangeError(`${optimizer}: the learning rate must be a positive number, got ${lr}`);
    const x = tensor([surface.start[0]], { requiresGrad: true });
    const y = tensor([surface.start[1]], { requiresGrad: true });
    const opt = makeOptimizer(optimizer, [x, y], lr);
    const points = [surface.start[0], surface.start[1]];
    let diverged = false;
    for (let step = 0; step < steps; step++) {
      opt.zeroGrad();
      surface.f(x, y).sum().backward();
      opt.step();
      const [px, py] = [x.item(), y.item()];
      if (!Number.isFinite(px) || !Number.isFinite(py) || Math.abs(px) > 1e6 || Math.abs(py) > 1e6) {
        diverged = true;
        break;
      }
      points.push(px, py);
    }
    const finalLoss = noGrad(() => surface.f(x, y).item());
    return { optimizer, points: Float32Array.from(points), finalLoss, diverged: diverged || !Number.isFinite(finalLoss) };
  });
}

/** f on a size x size grid over the surface's domain, row 0 at the top (largest y). */
export function contourGrid(surfaceName: SurfaceName, size: number): Float32Array {
  const { f, domain } = surfaces[surfaceName];
  const xs: number[] = [];
  const ys: number[] = [];
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      xs.push(domain.x[0] + ((domain.x[1] - domain.x[0]) * c) / (size - 1));
      ys.push(domain.y[1] - ((domain.y[1] - domain.y[0]) * r) / (size - 1));
    }
  }
  return noGrad(() => f(tensor(xs), tensor(ys)).data() as Float32Array);
}
