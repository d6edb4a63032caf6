// SIMD transcendental functions for float32 lanes (WebAssembly has no SIMD exp or log instructions).
// exp/expm1: x = n ln2 + r, |r| <= ln2/2, e^r from a polynomial in r, and an exact scaling by 2^n. n is rounded
// by the magic-bias trick: adding 1.5 * 2^23 leaves n in the low mantissa bits, so an add and a shift make 2^n
// (no rounding or conversion instructions). One multiplication by 2^n serves all but the rare vectors with a
// lane beyond |x| = 87.3, which scale in two halves (the scale must stay a normal float). The SIMD128 build keeps
// the first version's bits (the shipped zoo weights reproduce from it): a degree-7 Taylor polynomial
// (truncation error < 6e-9). The relaxed build, whose fused multiply-adds round differently anyway, takes a
// degree-6 minimax polynomial by Estrin's scheme (with the single scaling, and tanh's clamp gone: exp 1.4x and
// tanh 1.3x on 64K elements in a probe; 1.3x and 1.2x in the committed Node run), and sigmoid a path without
// a sign select or a second scale.
// log: musl's logf (reduction to [sqrt(2)/2, sqrt(2)), s = f/(2+f)). Each is within 2e-7 relative of Math's
// result rounded to float32 over the float32 range (tested).

import { madd } from './simd';

// @ts-ignore: decorator
@lazy const LOG2E = f32x4.splat(1.4426950408889634);
// @ts-ignore: decorator
@lazy const MAGIC = f32x4.splat(12582912); // 1.5 * 2^23: even, so ties round to even n as f32x4.nearest does
// -ln2 split so n * LN2_HI is exact for |n| < 2^8.
// @ts-ignore: decorator
@lazy const MINUS_LN2_HI = f32x4.splat(-0.693145751953125);
// @ts-ignore: decorator
@lazy const MINUS_LN2_LO = f32x4.splat(-1.428606765330187e-6);
// @ts-ignore: decorator
@lazy const ONE = f32x4.splat(1);

/** n + 1.5 * 2^23, the float whose low bits hold n = round(x log2 e) (two's complement); needs |x| < 2^21. */
// @ts-ignore: decorator
@inline function biasedN(x: v128): v128 {
  return madd(x, LOG2E, MAGIC);
}

/** r = x - n ln2 in two steps, so the reduction stays exact. */
// @ts-ignore: decorator
@inline function reduced(x: v128, biased: v128): v128 {
  const n = f32x4.sub(biased, MAGIC);
  return madd(n, MINUS_LN2_LO, madd(n, MINUS_LN2_HI, x));
}

/** e^r - 1 - r for |r| <= ln2/2 without the leading terms' rounding: r^2 (1/2 + r/6 + ... + r^5/5040). */
// @ts-ignore: decorator
@inline function taylorTail(r: v128): v128 {
  let q = madd(f32x4.splat(1.0 / 5040), r, f32x4.splat(1.0 / 720));
  q = madd(q, r, f32x4.splat(1.0 / 120));
  q = madd(q, r, f32x4.splat(1.0 / 24));
  q = madd(q, r, f32x4.splat(1.0 / 6));
  q = madd(q, r, f32x4.splat(0.5));
  return f32x4.mul(f32x4.mul(r, r), q);
}

/**
 * e^r - 1 for |r| <= ln2/2 (relaxed build), as r + r^2 q(r): the small term rounds once, onto r. q is evaluated
 * as (q0 + q1 r) + r^2 ((q2 + q3 r) + q4 r^2) (Estrin): a shorter dependency chain than Horner's, which a loop of
 * such chains needs more than fewer operations. Coefficients: a minimax fit of e^r's relative error
 * (scripts/fit-exp.py: 3.6e-9), rounded to float32.
 */
// @ts-ignore: decorator
@inline function minimaxExpm1(r: v128): v128 {
  const r2 = f32x4.mul(r, r);
  const low = madd(f32x4.splat(0.1666652113199234), r, f32x4.splat(0.4999999403953552));
  const high = madd(f32x4.splat(0.0013814539415761828), r2, madd(f32x4.splat(0.00836874544620514), r, f32x4.splat(0.04166838899254799)));
  return madd(r2, madd(high, r2, low), r);
}

/** e^r - 1 for |r| <= ln2/2. */
// @ts-ignore: decorator
@inline function expm1Reduced(r: v128): v128 {
  return ASC_FEATURE_RELAXED_SIMD ? minimaxExpm1(r) : f32x4.add(r, taylorTail(r));
}

/** e^r for |r| <= ln2/2 (SIMD128: (1 + r) + tail, the first version's rounding). */
// @ts-ignore: decorator
@inline function expReduced(r: v128): v128 {
  return ASC_FEATURE_RELAXED_SIMD ? f32x4.add(ONE, minimaxExpm1(r)) : f32x4.add(f32x4.add(ONE, r), taylorTail(r));
}

/** 2^k for integer lanes k in [-126, 127], or lanes whose low 9 bits hold k (the shift drops the rest). */
// @ts-ignore: decorator
@inline function pow2(k: v128): v128 {
  return i32x4.shl(i32x4.add(k, i32x4.splat(127)), 23);
}

/**
 * e^x as e^r 2^n, one exact scaling: right while the result is a normal float (|x| <= 87.3), where it gives the
 * two-step scaling's bits.
 */
// @ts-ignore: decorator
@inline function vexpNear(x: v128): v128 {
  const biased = biasedN(x);
  return f32x4.mul(expReduced(reduced(x, biased)), pow2(biased));
}

// @ts-ignore: decorator
@inline export function vexp(x: v128): v128 {
  const y = vexpNear(x);
  // Beyond |x| = 87.3 (results near or under the smallest normal float, or overflowing; infinities) the scale
  // takes two steps. Such lanes are rare, so a branch skips that path; NaN compares false and passes through y.
  const far = f32x4.gt(f32x4.abs(x), f32x4.splat(87.3));
  return v128.any_true(far) ? v128.bitselect(vexpFar(x), y, far) : y;
}

/** e^x of one float, out of line: the scalar tails of the row kernels share one copy of vexp. */
export function expScalar(x: f32): f32 {
  return f32x4.extract_lane(vexp(f32x4.splat(x)), 0);
}

/** e^x for any x, with 2^n in two halves so the scale stays a normal float where e^x is subnormal or overflows. */
// @ts-ignore: decorator
@inline function vexpAnywhere(x: v128): v128 {
  // Outside [-104, 89] the result is 0 or inf anyway. pmin/pmax return their first operand when it is NaN,
  // so NaN passes through; they are single instructions where NaN-propagating min/max are sequences.
  x = f32x4.pmin(f32x4.pmax(x, f32x4.splat(-104)), f32x4.splat(89));
  const biased = biasedN(x);
  const n = i32x4.sub(biased, MAGIC); // bits minus bits: n itself
  const half = i32x4.shr_s(n, 1);
  return f32x4.mul(f32x4.mul(expReduced(reduced(x, biased)), pow2(half)), pow2(i32x4.sub(n, half)));
}

/** vexpAnywhere out of line, for the rare lanes: one copy serves every kernel. */
function vexpFar(x: v128): v128 {
  return vexpAnywhere(x);
}

/**
 * e^x - 1 without cancellation near 0, for x in [-30, 88] (e^x - 1 rounds to -1 below): callers clamp, as
 * tanh's range needs no clamp at all (a clamp here took a seventh of tanh's time).
 */
// @ts-ignore: decorator
@inline export function vexpm1(x: v128): v128 {
  const biased = biasedN(x);
  const r = reduced(x, biased);
  const q = expm1Reduced(r);
  const s = pow2(biased); // 2^n, n in [-44, 127]
  // e^x - 1 = 2^n (e^r - 1) + (2^n - 1); for n = 0 this is q exactly.
  return madd(s, q, f32x4.sub(s, ONE));
}

/**
 * log(x) for positive normal floats, musl's logf: `shift` holds 23 in the lanes of subnormals that vlog scaled
 * by 2^23, 0 elsewhere. No special values: vlog adds them, and vlog1p's 1 + t needs none.
 */
// @ts-ignore: decorator
@inline function vlogNormal(x: v128, shift: v128): v128 {
  let ix = i32x4.add(x, i32x4.splat(0x3f800000 - 0x3f3504f3));
  const k = i32x4.sub(i32x4.sub(i32x4.shr_s(ix, 23), i32x4.splat(0x7f)), shift);
  ix = i32x4.add(v128.and(ix, i32x4.splat(0x007fffff)), i32x4.splat(0x3f3504f3));
  const f = f32x4.sub(ix, ONE);
  const s = f32x4.div(f, f32x4.add(f32x4.splat(2), f));
  const z = f32x4.mul(s, s);
  const w = f32x4.mul(z, z);
  const t1 = f32x4.mul(w, f32x4.add(f32x4.splat(0.40000972152), f32x4.mul(w, f32x4.splat(0.24279078841))));
  const t2 = f32x4.mul(z, f32x4.add(f32x4.splat(0.66666662693), f32x4.mul(w, f32x4.splat(0.28498786688))));
  const R = f32x4.add(t2, t1);
  const hfsq = f32x4.mul(f32x4.splat(0.5), f32x4.mul(f, f));
  const dk = f32x4.convert_i32x4_s(k);
  return f32x4.add(
    f32x4.add(
      f32x4.sub(f32x4.add(f32x4.mul(s, f32x4.add(hfsq, R)), f32x4.mul(dk, f32x4.splat(9.0580006145e-6))), hfsq),
      f,
    ),
    f32x4.mul(dk, f32x4.splat(0.69313812256)),
  );
}

/** log(x) for x a positive normal float or NaN (a sum of exponentials, 1 + t): no special values to select. */
// @ts-ignore: decorator
@inline export function vlogNormalOnly(x: v128): v128 {
  return vlogNormal(x, i32x4.splat(0));
}

// @ts-ignore: decorator
@inline export function vlog(x: v128): v128 {
  // Subnormals: scale by 2^23 first so the exponent field is meaningful.
  const tiny = f32x4.lt(x, f32x4.splat(1.1754943508222875e-38));
  const scaled = v128.bitselect(f32x4.mul(x, f32x4.splat(8388608)), x, tiny);
  let y = vlogNormal(scaled, v128.and(tiny, i32x4.splat(23)));
  // Special values: log(0) = -inf, log(x < 0) = NaN, log(inf) = inf, log(NaN) = NaN.
  y = v128.bitselect(f32x4.splat(-Infinity), y, f32x4.eq(x, f32x4.splat(0)));
  y = v128.bitselect(f32x4.splat(NaN), y, f32x4.lt(x, f32x4.splat(0)));
  y = v128.bitselect(x, y, f32x4.eq(x, f32x4.splat(Infinity)));
  return v128.bitselect(x, y, f32x4.ne(x, x));
}

/**
 * log(1 + t) for finite t >= 0 (or NaN), accurate for small t: log(u) - ((u - 1) - t) / u with u = 1 + t. u is a
 * normal float, so log's special values are left out: its callers' e^-|x| run softplus 1.2x and binary
 * cross-entropy with logits 1.6x as fast, with the same bits.
 */
// @ts-ignore: decorator
@inline export function vlog1p(t: v128): v128 {
  const u = f32x4.add(ONE, t);
  const corrected = f32x4.sub(vlogNormalOnly(u), f32x4.div(f32x4.sub(f32x4.sub(u, ONE), t), u));
  return v128.bitselect(t, corrected, f32x4.eq(u, ONE));
}

/** tanh(x) = sign(x) E / (E + 2) with E = expm1(2|x|); |x| >= 9.1 rounds to +-1. */
// @ts-ignore: decorator
@inline export function vtanh(x: v128): v128 {
  const a = f32x4.pmin(f32x4.abs(x), f32x4.splat(9.1));
  const e = vexpm1(f32x4.add(a, a));
  const t = f32x4.div(e, f32x4.add(e, f32x4.splat(2)));
  return v128.or(t, v128.and(x, i32x4.splat(0x80000000)));
}

/** 1 / (1 + e^-x), computed from e^-|x| so neither branch overflows. */
// @ts-ignore: decorator
@inline export function vsigmoid(x: v128): v128 {
  const z = vexpAnywhere(f32x4.neg(f32x4.abs(x)));
  // One division: sigma(|x|) = 1 / (1 + z), and sigma(-|x|) = z sigma(|x|).
  const q = f32x4.div(ONE, f32x4.add(ONE, z));
  return v128.bitselect(q, f32x4.mul(z, q), f32x4.ge(x, f32x4.splat(0)));
}

/**
 * vsigmoid for the sigmoid kernel. The relaxed build takes e^x / (e^x + 1) while |x| <= 87.3, where e^x needs
 * one scaling and the sum stays finite: no clamp, no second scale, no sign select (64K elements: 16 GB/s against
 * 10 in a probe); vectors with a lane beyond take vsigmoid. The SIMD128 build keeps its bits and skips the
 * branch, which cost it a third of its speed (8.2 against 5.5 GB/s). Only the kernel takes this path: with the
 * general path inlined beside it in every body of the unrolled loop, it grows the relaxed build's patch from 2.4
 * to 3.7 kB gzipped.
 */
// @ts-ignore: decorator
@inline export function vsigmoidNearFirst(x: v128): v128 {
  if (!ASC_FEATURE_RELAXED_SIMD || v128.any_true(f32x4.gt(f32x4.abs(x), f32x4.splat(87.3)))) return vsigmoid(x);
  const e = vexpNear(x);
  return f32x4.div(e, f32x4.add(e, ONE));
}

/** log(1 + e^x) = max(x, 0) + log1p(e^-|x|): stable at |x| = 100. */
// @ts-ignore: decorator
@inline export function vsoftplus(x: v128): v128 {
  const tail = vlog1p(vexp(f32x4.neg(f32x4.abs(x))));
  // max(x, 0) that keeps NaN: NaN > 0 is false, so select x for NaN lanes too.
  const pos = v128.bitselect(f32x4.splat(0), x, f32x4.lt(x, f32x4.splat(0)));
  return f32x4.add(pos, tail);
}

/** A scalar through a vector function (for tails and rows shorter than a vector). */
// @ts-ignore: decorator
@inline export function lane0(v: v128): f32 {
  return f32x4.extract_lane(v, 0);
}
