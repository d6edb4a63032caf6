// Each activation and its derivative over [-4, 4], computed by autograd itself: the derivative curve is the
// gradient backward() produces, so the plots show what training uses.
import { tensor } from '@backprop/autograd';
import { type ActivationName, activations } from '../choices';

export interface Curve { xs: number[]; f: number[]; df: number[] }

export function activationCurve(name: ActivationName, points = 161): Curve {
  const chosen = activations[name];
  if (!chosen) throw new RangeError(`unknown activation '${String(name)}'`);
  const xs = Array.from({ length: points }, (_, i) => -4 + (8 * i) / (points - 1));
  const x = tensor(xs, { requiresGrad: true });
  const y = chosen.make().forward(x);
  y.sum().backward();
  const curve = { xs, f: Array.from(y.data()), df: Array.from(x.grad!.data()) };
  x.dispose();
  return curve;
}
