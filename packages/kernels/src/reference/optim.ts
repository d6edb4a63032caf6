// The optimiser updates in float32, rounding after every operation in the kernels' order: the kernels must
// match these bit for bit (they use no fused multiply-add, in either build).
const f = Math.fround;

/** An update's buffers by name: the parameter, its gradient, and the optimiser's state. */
export type Buffers<State extends string> = Record<'param' | 'grad' | State, Float32Array>;

function effectiveGrad(g: number, p: number, weightDecay: number, maximize: boolean): number {
  let d = maximize ? -g : g;
  if (weightDecay !== 0) d = f(d + f(p * f(weightDecay)));
  return d;
}

export interface SgdCoefficients { lr: number; momentum: number; dampening: number; weightDecay: number; nesterov: boolean; maximize: boolean; first: boolean }

export function sgd({ param: p, grad: g, momentumBuffer: buf }: Buffers<'momentumBuffer'>, o: SgdCoefficients): void {
  for (let i = 0; i < p.length; i++) {
    let d = effectiveGrad(g[i]!, p[i]!, o.weightDecay, o.maximize);
    if (o.momentum !== 0) {
      const b = o.first ? d : f(f(buf[i]! * f(o.momentum)) + f(d * f(1 - f(o.dampening))));
      buf[i] = b;
      d = o.nesterov ? f(d + f(b * f(o.momentum))) : b;
    }
    p[i] = f(p[i]! + f(d * f(-o.lr)));
  }
}

export interface AdagradCoefficients { clr: number; eps: number; weightDecay: number; maximize: boolean }

export function adagrad({ param: p, grad: g, sum }: Buffers<'sum'>, { clr, eps, weightDecay, maximize }: AdagradCoefficients): void {
  for (let i = 0; i < p.length; i++) {
    const d = effectiveGrad(g[i]!, p[i]!, weightDecay, maximize);
    const s = f(sum[i]! + f(d * d));
    sum[i] = s;
    p[i] = f(p[i]! + f(f(d / f(f(Math.sqrt(s)) + f(eps))) * f(-clr)));
  }
}

export interface AdadeltaCoefficients { lr: number; rho: number; eps: number; weightDecay: number; maximize: boolean }

export function adadelta({ param: p, grad: g, squareAvg: sq, accDelta: acc }: Buffers<'squareAvg' | 'accDelta'>, { lr, rho, eps, weightDecay, maximize }: AdadeltaCoefficients): void {
  const r = f(rho);
  const oneMinus = f(1 - r);
  for (let i = 0; i < p.length; i++) {
    const d = effectiveGrad(g[i]!, p[i]!, weightDecay, maximize);
    const s = f(f(sq[i]! * r) + f(f(d * oneMinus) * d));
    sq[i] = s;
    const std = f(Math.sqrt(f(s + f(eps))));
    const delta = f(f(f(Math.sqrt(f(acc[i]! + f(eps)))) / std) * d);
    acc[i] = f(f(acc[i]! * r) + f(f(delta * oneMinus) * delta));
    p[i] = f(p[i]! + f(delta * f(-lr)));
  }
}

export interface RmspropCoefficients { lr: number; alpha: number; eps: number; weightDecay: number; momentum: number; centered: boolean; maximize: boolean }

export function rmsprop({ param: p, grad: g, squareAvg: sq, gradAvg: gavg, momentumBuffer: buf }: Buffers<'squareAvg' | 'gradAvg' | 'momentumBuffer'>, o: RmspropCoefficients): void {
  const a = f(o.alpha);
  const oneMinus = f(1 - a);
  for (let i = 0; i < p.length; i++) {
    const d = effectiveGrad(g[i]!, p[i]!, o.weightDecay, o.maximize);
    const s = f(f(sq[i]! * a) + f(f(d * oneMinus) * d));
    sq[i] = s;
    let avg: number;
    if (o.centered) {
      const ga = f(f(gavg[i]! * a) + f(d * oneMinus));
      gavg[i] = ga;
      avg = f(Math.sqrt(f(s - f(ga * ga))));
    } else {
      avg = f(Math.sqrt(s));
    }
    avg = f(avg + f(o.eps));
    if (o.momentum > 0) {
      const b = f(f(buf[i]! * f(o.momentum)) + f(d / avg));
      buf[i] = b;
      p[i] = f(p[i]! + f(b * f(-o.lr)));
    } else {
      p[i] = f(p[i]! + f(f(d / avg) * f(-o.lr)));
    }
  }
}

export interface AdamCoefficients {
  beta1: number; beta2: number; stepSize: number; bc2Sqrt: number; eps: number; weightDecay: number; decay: number;
  amsgrad: boolean; maximize: boolean;
}

export function adam({ param: p, grad: g, expAvg: m, expAvgSq: v, maxExpAvgSq: vmax }: Buffers<'expAvg' | 'expAvgSq' | 'maxExpAvgSq'>, o: AdamCoefficients): void {
  const [b1, b2] = [f(o.beta1), f(o.beta2)];
  for (let i = 0; i < p.length; i++) {
    let vp = p[i]!;
    if (f(o.decay) !== 1) vp = f(vp * f(o.decay));
    const d = effectiveGrad(g[i]!, vp, o.weightDecay, o.maximize);
    const mNew = f(f(m[i]! * b1) + f(d * f(1 - b1)));
    m[i] = mNew;
    let vNew = f(f(v[i]! * b2) + f(f(d * f(1 - b2)) * d));
    v[i] = vNew;
    if (o.amsgrad) {
      vNew = Math.max(vmax[i]!, vNew);
      vmax[i] = vNew;
    }
    const den = f(f(f(Math.sqrt(vNew)) / f(o.bc2Sqrt)) + f(o.eps));
    p[i] = f(vp + f(f(mNew / den) * f(-o.stepSize)));
  }
}

export interface AdamaxCoefficients { beta1: number; beta2: number; eps: number; clr: number; weightDecay: number; maximize: boolean }

export function adamax({ param: p, grad: g, expAvg: m, expInf: u }: Buffers<'expAvg' | 'expInf'>, { beta1, beta2, eps, clr, weightDecay, maximize }: AdamaxCoefficients): void {
  const [b1, b2] = [f(beta1), f(beta2)];
  for (let i = 0; i < p.length; i++) {
    const d = effectiveGrad(g[i]!, p[i]!, weightDecay, maximize);
    const mNew = f(f(m[i]! * b1) + f(d * f(1 - b1)));
    m[i] = mNew;
    const uNew = Math.max(f(u[i]! * b2), f(Math.abs(d) + f(eps)));
    u[i] = uNew;
    p[i] = f(p[i]! + f(f(mNew / uNew) * f(-clr)));
  }
}

export interface NadamCoefficients { beta1: number; beta2: number; bc2: number; eps: number; weightDecay: number; gradCoef: number; avgCoef: number }

export function nadam({ param: p, grad: g, expAvg: m, expAvgSq: v }: Buffers<'expAvg' | 'expAvgSq'>, { beta1, beta2, bc2, eps, weightDecay, gradCoef, avgCoef }: NadamCoefficients): void {
  const [b1, b2] = [f(beta1), f(beta2)];
  for (let i = 0; i < p.length; i++) {
    const d = effectiveGrad(g[i]!, p[i]!, weightDecay, false);
    const mNew = f(f(m[i]! * b1) + f(d * f(1 - b1)));
    m[i] = mNew;
    const vNew = f(f(v[i]! * b2) + f(f(d * f(1 - b2)) * d));
    v[i] = vNew;
    const den = f(f(Math.sqrt(f(vNew / f(bc2)))) + f(eps));
    const vp = f(p[i]! + f(f(d / den) * f(gradCoef)));
    p[i] = f(vp + f(f(mNew / den) * f(avgCoef)));
  }
}
