// Reductions over the middle axis of x viewed as [outer, len, inner]: out is [outer, inner].
// inner = 1 (the last axis) runs along contiguous memory with four independent accumulators, so the add
// latency does not bound it; inner > 1 runs across inner with whole rows as the accumulators.
import { fmaxNaN, hmax, hsum, ld, st } from './simd';
import { expScalar, vexp, vlogNormalOnly } from './math';

// @ts-ignore: decorator
@inline function combineV(isMax: bool, a: v128, b: v128): v128 {
  return isMax ? f32x4.max(a, b) : f32x4.add(a, b);
}

// @ts-ignore: decorator
@inline function combineS(isMax: bool, a: f32, b: f32): f32 {
  return isMax ? fmaxNaN(a, b) : a + b;
}

// @ts-ignore: decorator
@inline function reduceRow(isMax: bool, len: i32, x: usize): f32 {
  const init = isMax ? f32x4.splat(-Infinity) : f32x4.splat(0);
  let a0 = init, a1 = init, a2 = init, a3 = init;
  let i = 0;
  for (; i + 16 <= len; i += 16) {
    const p = x + <usize>i * 4;
    a0 = combineV(isMax, a0, v128.load(p));
    a1 = combineV(isMax, a1, v128.load(p, 16));
    a2 = combineV(isMax, a2, v128.load(p, 32));
    a3 = combineV(isMax, a3, v128.load(p, 48));
  }
  for (; i + 4 <= len; i += 4) a0 = combineV(isMax, a0, v128.load(x + <usize>i * 4));
  const v = combineV(isMax, combineV(isMax, a0, a1), combineV(isMax, a2, a3));
  let r = isMax ? hmax(v) : hsum(v);
  for (; i < len; i++) r = combineS(isMax, r, load<f32>(x + <usize>i * 4));
  return r;
}

// @ts-ignore: decorator
@inline function reduceAcross(isMax: bool, len: i32, inner: i32, x: usize, out: usize): void {
  memory.copy(out, x, <usize>inner * 4);
  for (let k = 1; k < len; k++) {
    const row = x + <usize>k * <usize>inner * 4;
    let j = 0;
    for (; j + 4 <= inner; j += 4) {
      const off = <usize>j * 4;
      v128.store(out + off, combineV(isMax, v128.load(out + off), v128.load(row + off)));
    }
    for (; j < inner; j++) {
      const off = <usize>j * 4;
      store<f32>(out + off, combineS(isMax, load<f32>(out + off), load<f32>(row + off)));
    }
  }
}

// @ts-ignore: decorator
@inline function reduceAll(isMax: bool, outer: i32, len: i32, inner: i32, x: usize, out: usize): void {
  for (let o = 0; o < outer; o++) {
    const src = x + <usize>o * <usize>len * <usize>inner * 4;
    const dst = out + <usize>o * <usize>inner * 4;
    if (inner == 1) store<f32>(dst, reduceRow(isMax, len, src));
    else if (len == 0) for (let j = 0; j < inner; j++) store<f32>(dst + <usize>j * 4, isMax ? -Infinity : 0);
    else reduceAcross(isMax, len, inner, src, dst);
  }
}

// out[o, j] = the reduction over k of x[o, k, j]; one export per reduction, each its own loop.
/** The sum; len = 0 gives 0. */
export function reduceSum(outer: i32, len: i32, inner: i32, x: usize, out: usize): void {
  reduceAll(false, outer, len, inner, x, out);
}

/** The mean: the sum times 1 / len (len = 0 gives NaN, as PyTorch's mean of nothing). */
export function reduceMean(outer: i32, len: i32, inner: i32, x: usize, out: usize): void {
  reduceAll(false, outer, len, inner, x, out);
  const n = outer * inner;
  const scale = f32x4.splat(<f32>1 / <f32>len);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(out + <usize>i * 4, f32x4.mul(v128.load(out + <usize>i * 4), scale));
  for (; i < n; i++) store<f32>(out + <usize>i * 4, load<f32>(out + <usize>i * 4) * f32x4.extract_lane(scale, 0));
}

/** The maximum, NaN winning; len = 0 gives -inf (callers reject it). */
export function reduceMax(outer: i32, len: i32, inner: i32, x: usize, out: usize): void {
  reduceAll(true, outer, len, inner, x, out);
}

/** The first i with x[i] outside [lo, hi] (NaN counts as outside), or -1: input checks that cost one pass. */
export function firstOutside(n: i32, x: usize, lo: f32, hi: f32): i32 {
  const vlo = f32x4.splat(lo);
  const vhi = f32x4.splat(hi);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(x + <usize>i * 4);
    if (!i32x4.all_true(v128.and(f32x4.ge(v, vlo), f32x4.le(v, vhi)))) break;
  }
  for (; i < n; i++) {
    const v = load<f32>(x + <usize>i * 4);
    if (!(v >= lo && v <= hi)) return i;
  }
  return -1;
}

/** out[o, j] = the first k with the largest x[o, k, j] (NaN counts as largest, as in PyTorch). int32 output. */
export function argmax(outer: i32, len: i32, inner: i32, x: usize, out: usize): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      let p = x + (<usize>o * <usize>len * <usize>inner + <usize>j) * 4;
      let best: f32 = load<f32>(p);
      let at = 0;
      for (let k = 1; k < len && best == best; k++) {
        p += <usize>inner * 4;
        const v = load<f32>(p);
        if (v > best || v != v) {
          best = v;
          at = k;
        }
      }
      store<i32>(out + (<usize>o * <usize>inner + <usize>j) * 4, at);
    }
  }
}

/**
 * Softmax (log = 0) or log-softmax (log = 1) over the middle axis of [outer, len, inner], stable: the row
 * maximum is subtracted first. Lanes run along len when inner = 1, across inner otherwise.
 */
export function softmax(outer: i32, len: i32, inner: i32, log: i32, x: usize, y: usize): void {
  const stride = <usize>inner * 4;
  for (let o = 0; o < outer; o++) {
    const base = <usize>o * <usize>len * stride;
    let j = 0;
    if (inner == 1) {
      softmaxLine(len, 4, x + base, y + base, log, false);
      continue;
    }
    for (; j + 4 <= inner; j += 4) softmaxLine(len, stride, x + base + <usize>j * 4, y + base + <usize>j * 4, log, true);
    for (; j < inner; j++) softmaxLine(len, stride, x + base + <usize>j * 4, y + base + <usize>j * 4, log, false);
  }
}

/**
 * One softmax line of len elements `stride` bytes apart. `wide`: four adjacent lines at once (lanes across
 * inner). Otherwise a single line, vectorised along it when contiguous (stride = 4).
 */
// @ts-ignore: decorator
@inline function softmaxLine(len: i32, stride: usize, x: usize, y: usize, log: i32, wide: bool): void {
  if (!wide && stride == 4) {
    const m = reduceRow(true, len, x);
    const vm = f32x4.splat(m);
    let sum = f32x4.splat(0);
    let tail: f32 = 0;
    let k = 0;
    for (; k + 4 <= len; k += 4) {
      const e = vexp(f32x4.sub(v128.load(x + <usize>k * 4), vm));
      if (!log) v128.store(y + <usize>k * 4, e);
      sum = f32x4.add(sum, e);
    }
    for (; k < len; k++) {
      const e = expScalar(load<f32>(x + <usize>k * 4) - m);
      if (!log) store<f32>(y + <usize>k * 4, e);
      tail += e;
    }
    const s = hsum(sum) + tail;
    if (log) {
      // (x - m) - log s, not x - (m + log s): rounding m + log s would lose log s's digits when |m| is large.
      const logS = vlogNormalOnly(f32x4.splat(s)); // s >= 1 (the maximum contributes e^0), or NaN
      k = 0;
      for (; k + 4 <= len; k += 4) v128.store(y + <usize>k * 4, f32x4.sub(f32x4.sub(v128.load(x + <usize>k * 4), vm), logS));
      for (; k < len; k++) store<f32>(y + <usize>k * 4, (load<f32>(x + <usize>k * 4) - m) - f32x4.extract_lane(logS, 0));
    } else {
      const vs = f32x4.splat(s);
      k = 0;
      for (; k + 4 <= len; k += 4) v128.store(y + <usize>k * 4, f32x4.div(v128.load(y + <usize>k * 4), vs));
      for (; k < len; k++) store<f32>(y + <usize>k * 4, load<f32>(y + <usize>k * 4) / s);
    }
    return;
  }
  // Strided: each lane of the vector is its own line (wide), or lane 0 alone.
  let m = f32x4.splat(-Infinity);
  for (let k = 0; k < len; k++) m = f32x4.max(m, ld(x + <usize>k * stride, wide));
  let s = f32x4.splat(0);
  for (let k = 0; k < len; k++) {
    const e = vexp(f32x4.sub(ld(x + <usize>k * stride, wide), m));
    if (!log) st(y + <usize>k * stride, e, wide);
    s = f32x4.add(s, e);
  }
  const logS = vlogNormalOnly(s);
  for (let k = 0; k < len; k++) {
    const at = y + <usize>k * stride;
    st(at, log ? f32x4.sub(f32x4.sub(ld(x + <usize>k * stride, wide), m), logS) : f32x4.div(ld(at, wide), s), wide);
  }
}

/**
 * Gradient of softmax (log = 0): dx = y (dy - sum_k dy y); of log-softmax (log = 1): dx = dy - exp(y) sum_k dy.
 * y is the forward output.
 */
export function softmaxBackward(outer: i32, len: i32, inner: i32, log: i32, y: usize, dy: usize, dx: usize): void {
  const stride = <usize>inner * 4;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = (<usize>o * <usize>len * <usize>inner + <usize>j) * 4;
      let dot: f32 = 0;
      for (let k = 0; k < len; k++) {
        const at = base + <usize>k * stride;
        dot += log ? load<f32>(dy + at) : load<f32>(dy + at) * load<f32>(y + at);
      }
      for (let k = 0; k < len; k++) {
        const at = base + <usize>k * stride;
        const g = load<f32>(dy + at);
        const v = load<f32>(y + at);
        store<f32>(dx + at, log ? g - f32x4.extract_lane(vexp(f32x4.splat(v)), 0) * dot : v * (g - dot));
      }
    }
  }
}
