// Batch normalisation over x viewed as [images, channels, inner] (NCHW: inner = H W; [N, C]: inner = 1), each
// kernel over the channels [c0, c1) (threads take ranges of channels), as PyTorch's CPU kernels compute it: the
// statistics and the gradient's sums in float64 (summed in pairs of float64 lanes, in a fixed order), the
// normalisation as one multiply and one add per element with per-channel coefficients.

/**
 * The summands of a channel's sums from four lanes of a, of b and the channel's centre m: `first`, and `second`
 * when `pair` (one pass over the data for two sums).
 */
abstract class Terms {
  abstract get pair(): bool;
  abstract first(a: v128, b: v128, m: v128): v128;
  abstract second(a: v128, b: v128, m: v128): v128;
}

/** a */
class Values extends Terms {
  // @ts-ignore: decorator
  @inline get pair(): bool { return false; }
  // @ts-ignore: decorator
  @inline first(a: v128, b: v128, m: v128): v128 { return a; }
  // @ts-ignore: decorator
  @inline second(a: v128, b: v128, m: v128): v128 { return a; }
}

/** (a - m)^2 */
class CentredSquares extends Terms {
  // @ts-ignore: decorator
  @inline get pair(): bool { return false; }
  // @ts-ignore: decorator
  @inline first(a: v128, b: v128, m: v128): v128 {
    const d = f32x4.sub(a, m);
    return f32x4.mul(d, d);
  }
  // @ts-ignore: decorator
  @inline second(a: v128, b: v128, m: v128): v128 { return a; }
}

/** b, and (a - m) b: batch norm's gradient sums, with a = x and b = dy. */
class GradientSums extends Terms {
  // @ts-ignore: decorator
  @inline get pair(): bool { return true; }
  // @ts-ignore: decorator
  @inline first(a: v128, b: v128, m: v128): v128 { return b; }
  // @ts-ignore: decorator
  @inline second(a: v128, b: v128, m: v128): v128 { return f32x4.mul(f32x4.sub(a, m), b); }
}

/** lo plus t's two low lanes widened to float64. */
// @ts-ignore: decorator
@inline function widenAdd(lo: v128, t: v128): v128 {
  return f64x2.add(lo, f64x2.promote_low_f32x4(t));
}

/** The sum of the four float64 lanes of (lo, hi), in a fixed order. */
// @ts-ignore: decorator
@inline function total(lo: v128, hi: v128, tail: f64): f64 {
  return (f64x2.extract_lane(lo, 0) + f64x2.extract_lane(lo, 1)) + (f64x2.extract_lane(hi, 0) + f64x2.extract_lane(hi, 1)) + tail;
}

/**
 * Channel c's float64 sums of T's summands (each float32 summand widened, in four float64 lanes), divided by
 * `divisor` and rounded to float32 into `first` and (when T.pair) `second`.
 */
// @ts-ignore: decorator
@inline function channelSums<T extends Terms>(
  images: i32, channels: i32, inner: i32, c: i32, a: usize, b: usize, m: f32, divisor: f64, first: usize, second: usize,
): void {
  const terms = changetype<T>(0);
  const centre = f32x4.splat(m);
  let lo1 = f64x2.splat(0), hi1 = f64x2.splat(0), lo2 = f64x2.splat(0), hi2 = f64x2.splat(0);
  let tail1: f64 = 0, tail2: f64 = 0;
  for (let image = 0; image < images; image++) {
    const row = (<usize>image * <usize>channels + <usize>c) * <usize>inner * 4;
    let i = 0;
    for (; i + 4 <= inner; i += 4) {
      const off = row + <usize>i * 4;
      const va = v128.load(a + off);
      const vb = terms.pair ? v128.load(b + off) : va;
      const t1 = terms.first(va, vb, centre);
      lo1 = widenAdd(lo1, t1);
      hi1 = widenAdd(hi1, v128.shuffle<f32>(t1, t1, 2, 3, 2, 3));
      if (terms.pair) {
        const t2 = terms.second(va, vb, centre);
        lo2 = widenAdd(lo2, t2);
        hi2 = widenAdd(hi2, v128.shuffle<f32>(t2, t2, 2, 3, 2, 3));
      }
    }
    for (; i < inner; i++) {
      const off = row + <usize>i * 4;
      const va = f32x4.splat(load<f32>(a + off));
      const vb = terms.pair ? f32x4.splat(load<f32>(b + off)) : va;
      tail1 += <f64>f32x4.extract_lane(terms.first(va, vb, centre), 0);
      if (terms.pair) tail2 += <f64>f32x4.extract_lane(terms.second(va, vb, centre), 0);
    }
  }
  store<f32>(first, <f32>(total(lo1, hi1, tail1) / divisor));
  if (terms.pair) store<f32>(second, <f32>(total(lo2, hi2, tail2) / divisor));
}

/** mean[c] = the mean of channel c; variance[c] = the mean of (x - mean[c])^2 (biased), both float64 sums rounded once. */
export function batchNormStats(images: i32, channels: i32, inner: i32, c0: i32, c1: i32, x: usize, mean: usize, variance: usize): void {
  const n = <f64>images * <f64>inner;
  for (let c = c0; c < c1; c++) {
    const at = <usize>c * 4;
    channelSums<Values>(images, channels, inner, c, x, x, 0, n, mean + at, 0);
    channelSums<CentredSquares>(images, channels, inner, c, x, x, load<f32>(mean + at), n, variance + at, 0);
  }
}

/** sumDy[c] = the sum of dy over channel c; dot[c] = the sum of (x - mean[c]) dy: the gradient's two sums, in one pass. */
export function batchNormBackwardStats(
  images: i32, channels: i32, inner: i32, c0: i32, c1: i32, x: usize, dy: usize, mean: usize, sumDy: usize, dot: usize,
): void {
  for (let c = c0; c < c1; c++) {
    const at = <usize>c * 4;
    channelSums<GradientSums>(images, channels, inner, c, x, dy, load<f32>(mean + at), 1, sumDy + at, dot + at);
  }
}

/** An elementwise formula of a, b and five per-channel coefficients (broadcast over the lanes). */
abstract class PerElement {
  abstract at(a: v128, b: v128, k0: v128, k1: v128, k2: v128, k3: v128, k4: v128): v128;
}

/** a k0 + k1: a multiply, then an add (as PyTorch). */
class Affine extends PerElement {
  // @ts-ignore: decorator
  @inline at(a: v128, b: v128, k0: v128, k1: v128, k2: v128, k3: v128, k4: v128): v128 {
    return f32x4.add(f32x4.mul(a, k0), k1);
  }
}

/** With a = x, b = dy: (dy - meanDy - (x - mean) k) invstd w, for k0..k4 = mean, meanDy, k, invstd, w. */
class TrainingInputGradient extends PerElement {
  // @ts-ignore: decorator
  @inline at(a: v128, b: v128, k0: v128, k1: v128, k2: v128, k3: v128, k4: v128): v128 {
    const centred = f32x4.mul(f32x4.sub(a, k0), k2);
    return f32x4.mul(f32x4.mul(f32x4.sub(f32x4.sub(b, k1), centred), k3), k4);
  }
}

/** With a = dy: dy invstd w, for k0, k1 = invstd, w. */
class EvaluationInputGradient extends PerElement {
  // @ts-ignore: decorator
  @inline at(a: v128, b: v128, k0: v128, k1: v128, k2: v128, k3: v128, k4: v128): v128 {
    return f32x4.mul(f32x4.mul(a, k0), k1);
  }
}

/** Channel c's coefficient from the per-channel array at p, in four lanes (0 for an array not given). */
// @ts-ignore: decorator
@inline function coefficient(p: usize, c: i32): v128 {
  return p == 0 ? f32x4.splat(0) : v128.load32_splat(p + <usize>c * 4);
}

/** out = Op(a, b, coefficients of the channel) over channels [c0, c1), in vectors and a scalar tail per row. */
// @ts-ignore: decorator
@inline function perElement<Op extends PerElement>(
  images: i32, channels: i32, inner: i32, c0: i32, c1: i32, a: usize, b: usize, out: usize,
  p0: usize, p1: usize, p2: usize, p3: usize, p4: usize,
): void {
  const op = changetype<Op>(0);
  for (let image = 0; image < images; image++) {
    for (let c = c0; c < c1; c++) {
      const row = (<usize>image * <usize>channels + <usize>c) * <usize>inner * 4;
      const k0 = coefficient(p0, c), k1 = coefficient(p1, c), k2 = coefficient(p2, c), k3 = coefficient(p3, c), k4 = coefficient(p4, c);
      let i = 0;
      for (; i + 4 <= inner; i += 4) {
        const off = row + <usize>i * 4;
        v128.store(out + off, op.at(v128.load(a + off), v128.load(b + off), k0, k1, k2, k3, k4));
      }
      for (; i < inner; i++) {
        const off = row + <usize>i * 4;
        store<f32>(out + off, f32x4.extract_lane(op.at(f32x4.splat(load<f32>(a + off)), f32x4.splat(load<f32>(b + off)), k0, k1, k2, k3, k4), 0));
      }
    }
  }
}

/** y = x scale[c] + shift[c]: the normalisation and the affine transform in one (a multiply, then an add, as PyTorch). */
export function channelAffine(images: i32, channels: i32, inner: i32, c0: i32, c1: i32, x: usize, scale: usize, shift: usize, y: usize): void {
  perElement<Affine>(images, channels, inner, c0, c1, x, x, y, scale, shift, 0, 0, 0);
}

/**
 * dx of batch normalisation. Training (batch statistics): dx = (dy - meanDy[c] - (x - mean[c]) k[c]) invstd[c] w[c],
 * k = dot invstd^2 / n. Evaluation (running statistics, constants): dx = dy invstd[c] w[c] (x, mean, meanDy and k unread).
 */
export function batchNormBackwardInput(
  images: i32, channels: i32, inner: i32, c0: i32, c1: i32, training: i32,
  x: usize, dy: usize, mean: usize, meanDy: usize, k: usize, invstd: usize, w: usize, dx: usize,
): void {
  if (training) perElement<TrainingInputGradient>(images, channels, inner, c0, c1, x, dy, dx, mean, meanDy, k, invstd, w);
  else perElement<EvaluationInputGradient>(images, channels, inner, c0, c1, dy, dy, dx, invstd, w, 0, 0, 0);
}
