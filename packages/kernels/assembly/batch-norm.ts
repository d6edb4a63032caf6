// Batch normalisation over x viewed as [images, channels, inner] (NCHW: inner = H W; [N, C]: inner = 1), each
// kernel over the channels [c0, c1) (threads take ranges of channels), as PyTorch's CPU kernels compute it: the
// statistics and the gradient's sums in float64 (four float64 lanes, added up in a fixed order), the
// normalisation as one multiply and one add per element with per-channel coefficients. A row's last 1-3 elements
// go through the same vector code with partial loads and stores; one loop serves each family of kernels, the
// kind a run-time constant (the package's size is budgeted).
import { loadPartial, storePartial } from './simd';

/** What channelSums adds up: sum a; sum (a - m)^2; sum b and sum (a - m) b (the gradient's two, in one pass). */
const SUM_VALUES: i32 = 0;
const SUM_CENTRED_SQUARES: i32 = 1;
const SUM_GRADIENT: i32 = 2;

/** Lanes [0, lanes) all ones, the rest zero. */
// @ts-ignore: decorator
@inline function firstLanes(lanes: i32): v128 {
  return i32x4.lt_s(i32x4(0, 1, 2, 3), i32x4.splat(lanes));
}

/** The four float64 lanes (lo, hi) added up in a fixed order. */
// @ts-ignore: decorator
@inline function total(lo: v128, hi: v128): f64 {
  return (f64x2.extract_lane(lo, 0) + f64x2.extract_lane(lo, 1)) + (f64x2.extract_lane(hi, 0) + f64x2.extract_lane(hi, 1));
}

/**
 * Channel c's float64 sums of `kind` (each float32 summand widened), divided by `divisor` and rounded to float32
 * into `first` and, for SUM_GRADIENT, `second`.
 */
function channelSums(
  kind: i32, images: i32, channels: i32, inner: i32, c: i32, a: usize, b: usize, m: f32, divisor: f64, first: usize, second: usize,
): void {
  const centre = f32x4.splat(m);
  let lo1 = f64x2.splat(0), hi1 = f64x2.splat(0), lo2 = f64x2.splat(0), hi2 = f64x2.splat(0);
  for (let image = 0; image < images; image++) {
    const row = (<usize>image * <usize>channels + <usize>c) * <usize>inner * 4;
    for (let i = 0; i < inner; i += 4) {
      const off = row + <usize>i * 4;
      const lanes = min(4, inner - i);
      // Lanes past the row read as 0 and are masked out of every sum.
      const mask = firstLanes(lanes);
      const va = loadPartial(a + off, lanes);
      const vb = loadPartial(b + off, lanes);
      const d = f32x4.sub(va, centre);
      const t1 = v128.and(kind == SUM_VALUES ? va : kind == SUM_CENTRED_SQUARES ? f32x4.mul(d, d) : vb, mask);
      lo1 = f64x2.add(lo1, f64x2.promote_low_f32x4(t1));
      hi1 = f64x2.add(hi1, f64x2.promote_low_f32x4(v128.shuffle<f32>(t1, t1, 2, 3, 2, 3)));
      if (kind == SUM_GRADIENT) {
        const t2 = v128.and(f32x4.mul(d, vb), mask);
        lo2 = f64x2.add(lo2, f64x2.promote_low_f32x4(t2));
        hi2 = f64x2.add(hi2, f64x2.promote_low_f32x4(v128.shuffle<f32>(t2, t2, 2, 3, 2, 3)));
      }
    }
  }
  store<f32>(first, <f32>(total(lo1, hi1) / divisor));
  if (kind == SUM_GRADIENT) store<f32>(second, <f32>(total(lo2, hi2) / divisor));
}

/** mean[c] = the mean of channel c; variance[c] = the mean of (x - mean[c])^2 (biased), both float64 sums rounded once. */
export function batchNormStats(images: i32, channels: i32, inner: i32, c0: i32, c1: i32, x: usize, mean: usize, variance: usize): void {
  const n = <f64>images * <f64>inner;
  for (let c = c0; c < c1; c++) {
    const at = <usize>c * 4;
    channelSums(SUM_VALUES, images, channels, inner, c, x, x, 0, n, mean + at, 0);
    channelSums(SUM_CENTRED_SQUARES, images, channels, inner, c, x, x, load<f32>(mean + at), n, variance + at, 0);
  }
}

/** sumDy[c] = the sum of dy over channel c; dot[c] = the sum of (x - mean[c]) dy: the gradient's two sums, in one pass. */
export function batchNormBackwardStats(
  images: i32, channels: i32, inner: i32, c0: i32, c1: i32, x: usize, dy: usize, mean: usize, sumDy: usize, dot: usize,
): void {
  for (let c = c0; c < c1; c++) {
    const at = <usize>c * 4;
    channelSums(SUM_GRADIENT, images, channels, inner, c, x, dy, load<f32>(mean + at), 1, sumDy + at, dot + at);
  }
}

/** What perElement computes from a, b and the channel's coefficients k0..k4 (see the kernels below). */
const AFFINE: i32 = 0;
const TRAINING_INPUT_GRADIENT: i32 = 1;
const EVALUATION_INPUT_GRADIENT: i32 = 2;

/** Channel c's coefficient from the per-channel array at p, in four lanes (0 for an array not given). */
// @ts-ignore: decorator
@inline function coefficient(p: usize, c: i32): v128 {
  return p == 0 ? f32x4.splat(0) : v128.load32_splat(p + <usize>c * 4);
}

/** out = the formula `kind` of a, b and the channel's coefficients, over channels [c0, c1). */
function perElement(
  kind: i32, images: i32, channels: i32, inner: i32, c0: i32, c1: i32, a: usize, b: usize, out: usize,
  p0: usize, p1: usize, p2: usize, p3: usize, p4: usize,
): void {
  for (let image = 0; image < images; image++) {
    for (let c = c0; c < c1; c++) {
      const row = (<usize>image * <usize>channels + <usize>c) * <usize>inner * 4;
      const k0 = coefficient(p0, c), k1 = coefficient(p1, c), k2 = coefficient(p2, c), k3 = coefficient(p3, c), k4 = coefficient(p4, c);
      for (let i = 0; i < inner; i += 4) {
        const off = row + <usize>i * 4;
        const lanes = min(4, inner - i);
        const va = loadPartial(a + off, lanes);
        let y: v128;
        if (kind == AFFINE) {
          y = f32x4.add(f32x4.mul(va, k0), k1); // a multiply, then an add (as PyTorch)
        } else if (kind == TRAINING_INPUT_GRADIENT) {
          const centred = f32x4.mul(f32x4.sub(va, k0), k2);
          y = f32x4.mul(f32x4.mul(f32x4.sub(f32x4.sub(loadPartial(b + off, lanes), k1), centred), k3), k4);
        } else {
          y = f32x4.mul(f32x4.mul(va, k0), k1);
        }
        storePartial(out + off, y, lanes);
      }
    }
  }
}

/** y = x scale[c] + shift[c]: the normalisation and the affine transform in one. */
export function channelAffine(images: i32, channels: i32, inner: i32, c0: i32, c1: i32, x: usize, scale: usize, shift: usize, y: usize): void {
  perElement(AFFINE, images, channels, inner, c0, c1, x, x, y, scale, shift, 0, 0, 0);
}

/**
 * dx of batch normalisation. Training (batch statistics): dx = (dy - meanDy[c] - (x - mean[c]) k[c]) invstd[c] w[c],
 * k = dot invstd^2 / n. Evaluation (running statistics, constants): dx = dy invstd[c] w[c] (x, mean, meanDy and k unread).
 */
export function batchNormBackwardInput(
  images: i32, channels: i32, inner: i32, c0: i32, c1: i32, training: i32,
  x: usize, dy: usize, mean: usize, meanDy: usize, k: usize, invstd: usize, w: usize, dx: usize,
): void {
  if (training) perElement(TRAINING_INPUT_GRADIENT, images, channels, inner, c0, c1, x, dy, dx, mean, meanDy, k, invstd, w);
  else perElement(EVALUATION_INPUT_GRADIENT, images, channels, inner, c0, c1, dy, dy, dx, invstd, w, 0, 0, 0);
}
