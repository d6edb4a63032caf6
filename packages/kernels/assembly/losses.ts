// Losses, elementwise (reduction 'none'): the caller reduces with reduce() for 'mean' or 'sum'.
// Backward: dx[i] = scale * dy[i * dyStep] * dloss_i/dx_i, so one kernel serves every reduction:
// 'none' passes dyStep = 1, scale = 1; 'sum' dyStep = 0; 'mean' dyStep = 0, scale = 1 / n.
// Each formula is written once for four lanes and reused for the scalar tail (`full` = false).
import { expScalar, vexp, vlog, vlog1p, vlogNormalOnly, vsigmoid } from './math';
import { hmax, hsum, ld, st } from './simd';

// @ts-ignore: decorator
@lazy const ZERO = f32x4.splat(0);
// @ts-ignore: decorator
@lazy const ONE = f32x4.splat(1);

/** The upstream gradient at this offset (dyStep = 0: one value for all), times scale. */
// @ts-ignore: decorator
@inline function upstream(dy: usize, dyStep: i32, off: usize, full: bool, scale: f32): v128 {
  return f32x4.mul(dyStep ? ld(dy + off, full) : f32x4.splat(load<f32>(dy)), f32x4.splat(scale));
}

// Binary cross-entropy on probabilities; logs clamped at -100 as PyTorch does, so p = 0 or 1 stays finite.
// @ts-ignore: decorator
@inline function bceAt(p: usize, t: usize, out: usize, off: usize, full: bool): void {
  const vp = ld(p + off, full);
  const vt = ld(t + off, full);
  const floor = f32x4.splat(-100);
  const logP = f32x4.max(vlog(vp), floor);
  const log1mP = f32x4.max(vlog(f32x4.sub(ONE, vp)), floor);
  st(out + off, f32x4.neg(f32x4.add(f32x4.mul(vt, logP), f32x4.mul(f32x4.sub(ONE, vt), log1mP))), full);
}

export function bce(n: i32, p: usize, t: usize, out: usize): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) bceAt(p, t, out, <usize>i * 4, true);
  for (; i < n; i++) bceAt(p, t, out, <usize>i * 4, false);
}

/** dx = (p - t) / max(p (1 - p), 1e-12), PyTorch's clamp. */
// @ts-ignore: decorator
@inline function bceBackwardAt(p: usize, t: usize, dy: usize, dyStep: i32, scale: f32, dx: usize, off: usize, full: bool): void {
  const vp = ld(p + off, full);
  const denom = f32x4.max(f32x4.mul(f32x4.sub(ONE, vp), vp), f32x4.splat(1e-12));
  const g = f32x4.div(f32x4.sub(vp, ld(t + off, full)), denom);
  st(dx + off, f32x4.mul(g, upstream(dy, dyStep, off, full, scale)), full);
}

export function bceBackward(n: i32, p: usize, t: usize, dy: usize, dyStep: i32, scale: f32, dx: usize): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) bceBackwardAt(p, t, dy, dyStep, scale, dx, <usize>i * 4, true);
  for (; i < n; i++) bceBackwardAt(p, t, dy, dyStep, scale, dx, <usize>i * 4, false);
}

/** max(x, 0) - x t + log1p(e^-|x|): stable for any logit. */
// @ts-ignore: decorator
@inline function bceLogitsAt(x: usize, t: usize, out: usize, off: usize, full: bool): void {
  const vx = ld(x + off, full);
  const pos = v128.bitselect(ZERO, vx, f32x4.lt(vx, ZERO));
  const soft = vlog1p(vexp(f32x4.neg(f32x4.abs(vx))));
  st(out + off, f32x4.add(f32x4.sub(pos, f32x4.mul(vx, ld(t + off, full))), soft), full);
}

export function bceWithLogits(n: i32, x: usize, t: usize, out: usize): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) bceLogitsAt(x, t, out, <usize>i * 4, true);
  for (; i < n; i++) bceLogitsAt(x, t, out, <usize>i * 4, false);
}

// @ts-ignore: decorator
@inline function bceLogitsBackwardAt(x: usize, t: usize, dy: usize, dyStep: i32, scale: f32, dx: usize, off: usize, full: bool): void {
  const g = f32x4.sub(vsigmoid(ld(x + off, full)), ld(t + off, full));
  st(dx + off, f32x4.mul(g, upstream(dy, dyStep, off, full, scale)), full);
}

export function bceWithLogitsBackward(n: i32, x: usize, t: usize, dy: usize, dyStep: i32, scale: f32, dx: usize): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) bceLogitsBackwardAt(x, t, dy, dyStep, scale, dx, <usize>i * 4, true);
  for (; i < n; i++) bceLogitsBackwardAt(x, t, dy, dyStep, scale, dx, <usize>i * 4, false);
}

// @ts-ignore: decorator
@inline function mseAt(x: usize, t: usize, out: usize, off: usize, full: bool): void {
  const d = f32x4.sub(ld(x + off, full), ld(t + off, full));
  st(out + off, f32x4.mul(d, d), full);
}

export function mse(n: i32, x: usize, t: usize, out: usize): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) mseAt(x, t, out, <usize>i * 4, true);
  for (; i < n; i++) mseAt(x, t, out, <usize>i * 4, false);
}

// @ts-ignore: decorator
@inline function mseBackwardAt(x: usize, t: usize, dy: usize, dyStep: i32, scale: f32, dx: usize, off: usize, full: bool): void {
  const d = f32x4.sub(ld(x + off, full), ld(t + off, full));
  st(dx + off, f32x4.mul(f32x4.add(d, d), upstream(dy, dyStep, off, full, scale)), full);
}

export function mseBackward(n: i32, x: usize, t: usize, dy: usize, dyStep: i32, scale: f32, dx: usize): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) mseBackwardAt(x, t, dy, dyStep, scale, dx, <usize>i * 4, true);
  for (; i < n; i++) mseBackwardAt(x, t, dy, dyStep, scale, dx, <usize>i * 4, false);
}

/** log sum_j exp(x_j) of one row of c logits, stable. */
// @ts-ignore: decorator
@inline function logSumExp(c: i32, row: usize): f32 {
  let m = f32x4.splat(-Infinity);
  let j = 0;
  for (; j + 4 <= c; j += 4) m = f32x4.max(m, v128.load(row + <usize>j * 4));
  let mx = hmax(m);
  for (; j < c; j++) {
    const v = load<f32>(row + <usize>j * 4);
    if (v > mx || v != v) mx = v;
  }
  const vm = f32x4.splat(mx);
  let s = f32x4.splat(0);
  j = 0;
  for (; j + 4 <= c; j += 4) s = f32x4.add(s, vexp(f32x4.sub(v128.load(row + <usize>j * 4), vm)));
  let total = hsum(s);
  for (; j < c; j++) total += expScalar(load<f32>(row + <usize>j * 4) - mx);
  return mx + f32x4.extract_lane(vlogNormalOnly(f32x4.splat(total)), 0); // total >= 1, or NaN
}

/**
 * Cross-entropy from logits [n, c] and int32 labels: out[i] = logsumexp(x_i) - x_i[label_i]; rows whose
 * label equals ignoreIndex give 0. Returns -1, or the first row whose label is out of range (nothing is
 * trusted past it; the caller throws).
 */
export function crossEntropy(n: i32, c: i32, x: usize, labels: usize, ignoreIndex: i32, out: usize): i32 {
  for (let i = 0; i < n; i++) {
    const label = load<i32>(labels + <usize>i * 4);
    const row = x + <usize>i * <usize>c * 4;
    if (label == ignoreIndex) {
      store<f32>(out + <usize>i * 4, 0);
      continue;
    }
    if (label < 0 || label >= c) return i;
    store<f32>(out + <usize>i * 4, logSumExp(c, row) - load<f32>(row + <usize>label * 4));
  }
  return -1;
}

/** dx_i = scale dy_i (softmax(x_i) - onehot(label_i)); ignored rows get 0. Labels were checked forward. */
export function crossEntropyBackward(
  n: i32, c: i32, x: usize, labels: usize, ignoreIndex: i32, dy: usize, dyStep: i32, scale: f32, dx: usize,
): void {
  for (let i = 0; i < n; i++) {
    const label = load<i32>(labels + <usize>i * 4);
    const row = x + <usize>i * <usize>c * 4;
    const drow = dx + <usize>i * <usize>c * 4;
    const g: f32 = label == ignoreIndex ? 0 : load<f32>(dy + <usize>i * <usize>dyStep * 4) * scale;
    const lse = f32x4.splat(logSumExp(c, row));
    const vg = f32x4.splat(g);
    let j = 0;
    for (; j + 4 <= c; j += 4) {
      v128.store(drow + <usize>j * 4, f32x4.mul(vg, vexp(f32x4.sub(v128.load(row + <usize>j * 4), lse))));
    }
    for (; j < c; j++) {
      const e = expScalar(load<f32>(row + <usize>j * 4) - f32x4.extract_lane(lse, 0));
      store<f32>(drow + <usize>j * 4, g * e);
    }
    if (label != ignoreIndex) store<f32>(drow + <usize>label * 4, load<f32>(drow + <usize>label * 4) - g);
  }
}
