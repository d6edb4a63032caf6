// Fused optimiser updates over flat float32 buffers, in PyTorch 1.13's single-tensor update order.
// Per-step scalars that PyTorch computes in Python float64 (bias corrections, step sizes, NAdam's mu) are
// computed by the caller in float64 and passed in. Booleans are 0/1. `full` selects four lanes or the tail.
import { ld, st } from './simd';

// @ts-ignore: decorator
@inline function splat(v: f32): v128 {
  return f32x4.splat(v);
}

/** The gradient as PyTorch's optimisers see it: negated when maximizing, plus weightDecay * param. */
// @ts-ignore: decorator
@inline function effectiveGrad(g: v128, p: v128, weightDecay: f32, maximize: i32): v128 {
  if (maximize) g = f32x4.neg(g);
  if (weightDecay != 0) g = f32x4.add(g, f32x4.mul(p, splat(weightDecay)));
  return g;
}

/** a * s1 + b * s2, PyTorch's `a.mul_(s1).add_(b, alpha=s2)`. */
// @ts-ignore: decorator
@inline function mulAdd(a: v128, s1: f32, b: v128, s2: f32): v128 {
  return f32x4.add(f32x4.mul(a, splat(s1)), f32x4.mul(b, splat(s2)));
}

// @ts-ignore: decorator
@inline function sgdAt(
  off: usize, full: bool, p: usize, g: usize, buf: usize,
  lr: f32, momentum: f32, dampening: f32, weightDecay: f32, nesterov: i32, maximize: i32, first: i32,
): void {
  const vp = ld(p + off, full);
  let d = effectiveGrad(ld(g + off, full), vp, weightDecay, maximize);
  if (momentum != 0) {
    const b = first ? d : mulAdd(ld(buf + off, full), momentum, d, 1 - dampening);
    st(buf + off, b, full);
    d = nesterov ? f32x4.add(d, f32x4.mul(b, splat(momentum))) : b;
  }
  st(p + off, f32x4.add(vp, f32x4.mul(d, splat(-lr))), full);
}

/** SGD with momentum, dampening, Nesterov and weight decay. `first`: the momentum buffer starts as d_p. */
export function sgd(
  n: i32, p: usize, g: usize, buf: usize,
  lr: f32, momentum: f32, dampening: f32, weightDecay: f32, nesterov: i32, maximize: i32, first: i32,
): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) sgdAt(<usize>i * 4, true, p, g, buf, lr, momentum, dampening, weightDecay, nesterov, maximize, first);
  for (; i < n; i++) sgdAt(<usize>i * 4, false, p, g, buf, lr, momentum, dampening, weightDecay, nesterov, maximize, first);
}

// @ts-ignore: decorator
@inline function adagradAt(off: usize, full: bool, p: usize, g: usize, sum: usize, clr: f32, eps: f32, weightDecay: f32, maximize: i32): void {
  const vp = ld(p + off, full);
  const d = effectiveGrad(ld(g + off, full), vp, weightDecay, maximize);
  const s = f32x4.add(ld(sum + off, full), f32x4.mul(d, d));
  st(sum + off, s, full);
  const std = f32x4.add(f32x4.sqrt(s), splat(eps));
  st(p + off, f32x4.add(vp, f32x4.mul(f32x4.div(d, std), splat(-clr))), full);
}

/** Adagrad; clr = lr / (1 + (step - 1) lrDecay). */
export function adagrad(n: i32, p: usize, g: usize, sum: usize, clr: f32, eps: f32, weightDecay: f32, maximize: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) adagradAt(<usize>i * 4, true, p, g, sum, clr, eps, weightDecay, maximize);
  for (; i < n; i++) adagradAt(<usize>i * 4, false, p, g, sum, clr, eps, weightDecay, maximize);
}

// @ts-ignore: decorator
@inline function adadeltaAt(
  off: usize, full: bool, p: usize, g: usize, sq: usize, acc: usize, lr: f32, rho: f32, eps: f32, weightDecay: f32, maximize: i32,
): void {
  const vp = ld(p + off, full);
  const d = effectiveGrad(ld(g + off, full), vp, weightDecay, maximize);
  const s = f32x4.add(f32x4.mul(ld(sq + off, full), splat(rho)), f32x4.mul(f32x4.mul(d, splat(1 - rho)), d));
  st(sq + off, s, full);
  const std = f32x4.sqrt(f32x4.add(s, splat(eps)));
  const a = ld(acc + off, full);
  const delta = f32x4.mul(f32x4.div(f32x4.sqrt(f32x4.add(a, splat(eps))), std), d);
  st(acc + off, f32x4.add(f32x4.mul(a, splat(rho)), f32x4.mul(f32x4.mul(delta, splat(1 - rho)), delta)), full);
  st(p + off, f32x4.add(vp, f32x4.mul(delta, splat(-lr))), full);
}

export function adadelta(n: i32, p: usize, g: usize, sq: usize, acc: usize, lr: f32, rho: f32, eps: f32, weightDecay: f32, maximize: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) adadeltaAt(<usize>i * 4, true, p, g, sq, acc, lr, rho, eps, weightDecay, maximize);
  for (; i < n; i++) adadeltaAt(<usize>i * 4, false, p, g, sq, acc, lr, rho, eps, weightDecay, maximize);
}

// @ts-ignore: decorator
@inline function rmspropAt(
  off: usize, full: bool, p: usize, g: usize, sq: usize, gavg: usize, buf: usize,
  lr: f32, alpha: f32, eps: f32, weightDecay: f32, momentum: f32, centered: i32, maximize: i32,
): void {
  const vp = ld(p + off, full);
  const d = effectiveGrad(ld(g + off, full), vp, weightDecay, maximize);
  const s = f32x4.add(f32x4.mul(ld(sq + off, full), splat(alpha)), f32x4.mul(f32x4.mul(d, splat(1 - alpha)), d));
  st(sq + off, s, full);
  let avg: v128;
  if (centered) {
    const ga = mulAdd(ld(gavg + off, full), alpha, d, 1 - alpha);
    st(gavg + off, ga, full);
    avg = f32x4.sqrt(f32x4.sub(s, f32x4.mul(ga, ga)));
  } else {
    avg = f32x4.sqrt(s);
  }
  avg = f32x4.add(avg, splat(eps));
  if (momentum > 0) {
    const b = f32x4.add(f32x4.mul(ld(buf + off, full), splat(momentum)), f32x4.div(d, avg));
    st(buf + off, b, full);
    st(p + off, f32x4.add(vp, f32x4.mul(b, splat(-lr))), full);
  } else {
    st(p + off, f32x4.add(vp, f32x4.mul(f32x4.div(d, avg), splat(-lr))), full);
  }
}

export function rmsprop(
  n: i32, p: usize, g: usize, sq: usize, gavg: usize, buf: usize,
  lr: f32, alpha: f32, eps: f32, weightDecay: f32, momentum: f32, centered: i32, maximize: i32,
): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) rmspropAt(<usize>i * 4, true, p, g, sq, gavg, buf, lr, alpha, eps, weightDecay, momentum, centered, maximize);
  for (; i < n; i++) rmspropAt(<usize>i * 4, false, p, g, sq, gavg, buf, lr, alpha, eps, weightDecay, momentum, centered, maximize);
}

// @ts-ignore: decorator
@inline function adamAt(
  off: usize, full: bool, p: usize, g: usize, m: usize, v: usize, vmax: usize,
  beta1: f32, beta2: f32, stepSize: f32, bc2Sqrt: f32, eps: f32, weightDecay: f32, decay: f32, amsgrad: i32, maximize: i32,
): void {
  let vp = ld(p + off, full);
  if (decay != 1) vp = f32x4.mul(vp, splat(decay)); // AdamW's decoupled decay, before the step
  const d = effectiveGrad(ld(g + off, full), vp, weightDecay, maximize);
  const mNew = mulAdd(ld(m + off, full), beta1, d, 1 - beta1);
  st(m + off, mNew, full);
  let vNew = f32x4.add(f32x4.mul(ld(v + off, full), splat(beta2)), f32x4.mul(f32x4.mul(d, splat(1 - beta2)), d));
  st(v + off, vNew, full);
  if (amsgrad) {
    vNew = f32x4.max(ld(vmax + off, full), vNew);
    st(vmax + off, vNew, full);
  }
  const den = f32x4.add(f32x4.div(f32x4.sqrt(vNew), splat(bc2Sqrt)), splat(eps));
  st(p + off, f32x4.add(vp, f32x4.mul(f32x4.div(mNew, den), splat(-stepSize))), full);
}

/**
 * Adam and AdamW. stepSize = lr / (1 - beta1^t), bc2Sqrt = sqrt(1 - beta2^t); Adam passes weightDecay and
 * decay = 1; AdamW passes weightDecay = 0 and decay = 1 - lr * weightDecay.
 */
export function adam(
  n: i32, p: usize, g: usize, m: usize, v: usize, vmax: usize,
  beta1: f32, beta2: f32, stepSize: f32, bc2Sqrt: f32, eps: f32, weightDecay: f32, decay: f32, amsgrad: i32, maximize: i32,
): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) adamAt(<usize>i * 4, true, p, g, m, v, vmax, beta1, beta2, stepSize, bc2Sqrt, eps, weightDecay, decay, amsgrad, maximize);
  for (; i < n; i++) adamAt(<usize>i * 4, false, p, g, m, v, vmax, beta1, beta2, stepSize, bc2Sqrt, eps, weightDecay, decay, amsgrad, maximize);
}

// @ts-ignore: decorator
@inline function adamaxAt(
  off: usize, full: bool, p: usize, g: usize, m: usize, u: usize,
  beta1: f32, beta2: f32, eps: f32, clr: f32, weightDecay: f32, maximize: i32,
): void {
  const vp = ld(p + off, full);
  const d = effectiveGrad(ld(g + off, full), vp, weightDecay, maximize);
  const mNew = mulAdd(ld(m + off, full), beta1, d, 1 - beta1);
  st(m + off, mNew, full);
  const uNew = f32x4.max(f32x4.mul(ld(u + off, full), splat(beta2)), f32x4.add(f32x4.abs(d), splat(eps)));
  st(u + off, uNew, full);
  st(p + off, f32x4.add(vp, f32x4.mul(f32x4.div(mNew, uNew), splat(-clr))), full);
}

/** Adamax; clr = lr / (1 - beta1^t). */
export function adamax(
  n: i32, p: usize, g: usize, m: usize, u: usize, beta1: f32, beta2: f32, eps: f32, clr: f32, weightDecay: f32, maximize: i32,
): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) adamaxAt(<usize>i * 4, true, p, g, m, u, beta1, beta2, eps, clr, weightDecay, maximize);
  for (; i < n; i++) adamaxAt(<usize>i * 4, false, p, g, m, u, beta1, beta2, eps, clr, weightDecay, maximize);
}

// @ts-ignore: decorator
@inline function nadamAt(
  off: usize, full: bool, p: usize, g: usize, m: usize, v: usize,
  beta1: f32, beta2: f32, bc2: f32, eps: f32, weightDecay: f32, gradCoef: f32, avgCoef: f32,
): void {
  let vp = ld(p + off, full);
  const d = effectiveGrad(ld(g + off, full), vp, weightDecay, 0);
  const mNew = mulAdd(ld(m + off, full), beta1, d, 1 - beta1);
  st(m + off, mNew, full);
  const vNew = f32x4.add(f32x4.mul(ld(v + off, full), splat(beta2)), f32x4.mul(f32x4.mul(d, splat(1 - beta2)), d));
  st(v + off, vNew, full);
  const den = f32x4.add(f32x4.sqrt(f32x4.div(vNew, splat(bc2))), splat(eps));
  vp = f32x4.add(vp, f32x4.mul(f32x4.div(d, den), splat(gradCoef)));
  st(p + off, f32x4.add(vp, f32x4.mul(f32x4.div(mNew, den), splat(avgCoef))), full);
}

/**
 * NAdam; bc2 = 1 - beta2^t, gradCoef = -lr (1 - mu) / (1 - muProduct),
 * avgCoef = -lr muNext / (1 - muProduct muNext).
 */
export function nadam(
  n: i32, p: usize, g: usize, m: usize, v: usize,
  beta1: f32, beta2: f32, bc2: f32, eps: f32, weightDecay: f32, gradCoef: f32, avgCoef: f32,
): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) nadamAt(<usize>i * 4, true, p, g, m, v, beta1, beta2, bc2, eps, weightDecay, gradCoef, avgCoef);
  for (; i < n; i++) nadamAt(<usize>i * 4, false, p, g, m, v, beta1, beta2, bc2, eps, weightDecay, gradCoef, avgCoef);
}
