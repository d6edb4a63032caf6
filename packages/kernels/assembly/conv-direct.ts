// A convolution at stride 1, direct: for layers with few output channels, where a GEMM's 8-wide panels would run
// part empty (LeNet's first layer has 6) and its output would need transposing into NCHW. x is padded already:
// [images, channels, hp, wp]; y [images, outChannels, outH, outW] = bias[o] + the sum over (c, i, j) of
// x[n, c, oy + i dh, ox + j dw] w[o, c, i, j]. A tile is 3 output channels by 12 neighbouring outputs of a row
// (8 in the SIMD128 build): per tap three vector loads of x (the inputs under the outputs) and three broadcast
// weights, 9 multiply-adds into 9 accumulators. Six channels by eight, the first version, needed more registers
// than V8 leaves (15) and spilled four accumulators on every tap: 35 GFLOP/s on LeNet's first layer, 56 now.
// Without fused multiply-adds each product needs a register of its own, and 12 outputs spill again (31 GFLOP/s
// against 8 outputs' 50). Outputs go straight to their NCHW places.
import { hsum, loadPartial, madd, storePartial } from './simd';

/** Output channels per tile. */
const OB: i32 = 3;

export function conv2dDirect(
  images: i32, channels: i32, hp: i32, wp: i32, outH: i32, outW: i32, outChannels: i32, kh: i32, kw: i32, dh: i32, dw: i32,
  x: usize, w: usize, bias: usize, y: usize, scratch: usize,
): void {
  const plane = <usize>hp * <usize>wp * 4;
  const outPlane = <usize>outH * <usize>outW * 4;
  const taps = channels * kh * kw;
  // scratch: each tap's byte offset in an image, then the tile's weights as [tap][3] (one pointer, immediate offsets).
  const offsets = scratch;
  const packed = scratch + <usize>taps * 4;
  for (let t = 0; t < taps; t++) store<i32>(offsets + <usize>t * 4, <i32>tapOffset(t, kh, kw, hp, wp, dh, dw));
  for (let o0 = 0; o0 < outChannels; o0 += OB) {
    const count = min(OB, outChannels - o0);
    // Channels past the last repeat it: computed, never stored (the GEMM's trick for rows).
    for (let k = 0; k < taps; k++) {
      for (let o = 0; o < OB; o++) store<f32>(packed + <usize>(k * OB + o) * 4, load<f32>(w + (<usize>(o0 + min(o, count - 1)) * <usize>taps + <usize>k) * 4));
    }
    for (let n = 0; n < images; n++) {
      const image = x + <usize>n * <usize>channels * plane;
      const out = y + (<usize>n * <usize>outChannels + <usize>o0) * outPlane;
      for (let oy = 0; oy < outH; oy++) {
        const top = image + <usize>oy * <usize>wp * 4;
        const row = out + <usize>oy * <usize>outW * 4;
        let ox = 0;
        if (ASC_FEATURE_RELAXED_SIMD) {
          for (; ox + 12 <= outW; ox += 12) tile(3, 4, taps, offsets, packed, top + <usize>ox * 4, bias, o0, count, row + <usize>ox * 4, outPlane);
        }
        for (; ox + 8 <= outW; ox += 8) tile(2, 4, taps, offsets, packed, top + <usize>ox * 4, bias, o0, count, row + <usize>ox * 4, outPlane);
        for (; ox < outW; ox += 4) tile(1, min(4, outW - ox), taps, offsets, packed, top + <usize>ox * 4, bias, o0, count, row + <usize>ox * 4, outPlane);
      }
    }
  }
}

/** bias[o] in four lanes (zeros without a bias). */
// @ts-ignore: decorator
@inline function biasOf(bias: usize, o: i32): v128 {
  return bias == 0 ? f32x4.splat(0) : v128.load32_splat(bias + <usize>o * 4);
}

/**
 * 3 channels x `vectors` (a constant: 1, 2 or 3) vectors of outputs from the window corner `at` (x[n, 0, oy, ox]);
 * channel c's row of out is c outPlane further. With one vector only its first `lanes` are read and written.
 */
// @ts-ignore: decorator
@inline function tile(vectors: i32, lanes: i32, taps: i32, offsets: usize, packed: usize, at: usize, bias: usize, o0: i32, count: i32, out: usize, outPlane: usize): void {
  let a0 = biasOf(bias, o0), b0 = biasOf(bias, o0 + min(1, count - 1)), c0 = biasOf(bias, o0 + min(2, count - 1));
  let a1 = a0, b1 = b0, c1 = c0, a2 = a0, b2 = b0, c2 = c0;
  let wk = packed;
  let ok = offsets;
  for (let k = taps; k > 0; k--) {
    const p = at + <usize>load<i32>(ok);
    const x0 = vectors == 1 ? loadPartial(p, lanes) : v128.load(p);
    const x1 = vectors > 1 ? v128.load(p, 16) : x0;
    const x2 = vectors > 2 ? v128.load(p, 32) : x0;
    let v = v128.load32_splat(wk);
    a0 = madd(x0, v, a0);
    if (vectors > 1) a1 = madd(x1, v, a1);
    if (vectors > 2) a2 = madd(x2, v, a2);
    v = v128.load32_splat(wk, 4);
    b0 = madd(x0, v, b0);
    if (vectors > 1) b1 = madd(x1, v, b1);
    if (vectors > 2) b2 = madd(x2, v, b2);
    v = v128.load32_splat(wk, 8);
    c0 = madd(x0, v, c0);
    if (vectors > 1) c1 = madd(x1, v, c1);
    if (vectors > 2) c2 = madd(x2, v, c2);
    ok += 4;
    wk += OB * 4;
  }
  storeRow(vectors, lanes, out, a0, a1, a2);
  if (count > 1) storeRow(vectors, lanes, out + outPlane, b0, b1, b2);
  if (count > 2) storeRow(vectors, lanes, out + 2 * outPlane, c0, c1, c2);
}

/** One channel's outputs of a tile: `vectors` whole vectors, or the first `lanes` of one. */
// @ts-ignore: decorator
@inline function storeRow(vectors: i32, lanes: i32, out: usize, v0: v128, v1: v128, v2: v128): void {
  if (vectors == 1) {
    storePartial(out, v0, lanes);
    return;
  }
  v128.store(out, v0);
  v128.store(out, v1, 16);
  if (vectors > 2) v128.store(out, v2, 32);
}

/** Taps per weight-gradient tile: 2 output channels x 4 taps are 8 accumulators, 2 gradients and 4 inputs (14 registers). */
const TAPS: i32 = 4;

/**
 * dweight [outChannels, channels, kh, kw] of the stride-1 convolution above, tiles [t0, t1) of it: the sum over
 * images and output positions of dy[n, o, oy, ox] x[n, c, oy + i dh, ox + j dw]. A tile is 2 output channels by 4
 * taps (c, i, j) in the weight's order, summed in vectors of 4 neighbouring outputs, then across the lanes; taps
 * past the last alias it (computed, never stored), as channels past the last do. Tile t is channel pair
 * t / ceil(taps / 4), taps 4 (t % ceil(taps / 4)) on, so threads take ranges of tiles and every sum runs as on one
 * thread. Where the GEMM's 8-wide panels would hold 6 output channels and its products need dy transposed first,
 * this reads dy as it is. (Five taps a tile, a whole row of a 5x5 kernel, spilled two accumulators on every step.)
 */
export function conv2dDirectWeightGrad(
  images: i32, channels: i32, hp: i32, wp: i32, outH: i32, outW: i32, outChannels: i32, kh: i32, kw: i32, dh: i32, dw: i32,
  t0: i32, t1: i32, x: usize, dy: usize, dweight: usize,
): void {
  const taps = channels * kh * kw;
  const blocks = (taps + TAPS - 1) / TAPS;
  const outPlane = <usize>outH * <usize>outW * 4;
  for (let t = t0; t < t1; t++) {
    const o0 = (t / blocks) * 2;
    const o1 = min(o0 + 1, outChannels - 1);
    const k0 = (t % blocks) * TAPS;
    const count = min(TAPS, taps - k0);
    const x0 = x + tapOffset(k0, kh, kw, hp, wp, dh, dw);
    const x1 = x + tapOffset(k0 + min(1, count - 1), kh, kw, hp, wp, dh, dw);
    const x2 = x + tapOffset(k0 + min(2, count - 1), kh, kw, hp, wp, dh, dw);
    const x3 = x + tapOffset(k0 + min(3, count - 1), kh, kw, hp, wp, dh, dw);
    const out = dweight + (<usize>o0 * <usize>taps + <usize>k0) * 4;
    weightTile(images, <usize>channels * <usize>hp * <usize>wp * 4, outH, outW, <usize>wp * 4, x0, x1, x2, x3,
      dy + <usize>o0 * outPlane, dy + <usize>o1 * outPlane, <usize>outChannels * outPlane, out, count, o1 > o0 ? out + <usize>taps * 4 : 0);
  }
}

/** The byte offset of tap k = (c, i, j) in a padded image. */
// @ts-ignore: decorator
@inline function tapOffset(k: i32, kh: i32, kw: i32, hp: i32, wp: i32, dh: i32, dw: i32): usize {
  const c = k / (kh * kw);
  const i = (k / kw) % kh;
  const j = k % kw;
  return (<usize>c * <usize>hp * <usize>wp + <usize>(i * dh) * <usize>wp + <usize>(j * dw)) * 4;
}

/**
 * One tile: the four taps' inputs at x0..x3 (image 0, first output row), the two channels' gradients at dy0 and
 * dy1; `count` sums go to out0 and, when not 0, to out1.
 */
// @ts-ignore: decorator
@inline function weightTile(
  images: i32, xImage: usize, outH: i32, outW: i32, xRow: usize, x0: usize, x1: usize, x2: usize, x3: usize,
  dy0: usize, dy1: usize, dyImage: usize, out0: usize, count: i32, out1: usize,
): void {
  let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0;
  let b0 = a0, b1 = a0, b2 = a0, b3 = a0;
  const full = outW & ~3;
  const lanes = outW - full;
  const dyRow = <usize>outW * 4;
  for (let n = 0; n < images; n++) {
    const image = <usize>n * xImage;
    let p0 = x0 + image, p1 = x1 + image, p2 = x2 + image, p3 = x3 + image;
    let g0 = dy0 + <usize>n * dyImage;
    let g1 = dy1 + <usize>n * dyImage;
    for (let oy = 0; oy < outH; oy++) {
      for (let at: usize = 0; at < <usize>full * 4; at += 16) {
        const d0 = v128.load(g0 + at);
        const d1 = v128.load(g1 + at);
        let v = v128.load(p0 + at); a0 = madd(d0, v, a0); b0 = madd(d1, v, b0);
        v = v128.load(p1 + at); a1 = madd(d0, v, a1); b1 = madd(d1, v, b1);
        v = v128.load(p2 + at); a2 = madd(d0, v, a2); b2 = madd(d1, v, b2);
        v = v128.load(p3 + at); a3 = madd(d0, v, a3); b3 = madd(d1, v, b3);
      }
      if (lanes > 0) {
        // The row's last 1-3 outputs: only their lanes read (zeros past them, so nothing beyond the row is
        // multiplied). Apart from the loop above: one loop with partial loads on every step ran at half speed.
        const at = <usize>full * 4;
        const d0 = loadPartial(g0 + at, lanes);
        const d1 = loadPartial(g1 + at, lanes);
        let v = loadPartial(p0 + at, lanes); a0 = madd(d0, v, a0); b0 = madd(d1, v, b0);
        v = loadPartial(p1 + at, lanes); a1 = madd(d0, v, a1); b1 = madd(d1, v, b1);
        v = loadPartial(p2 + at, lanes); a2 = madd(d0, v, a2); b2 = madd(d1, v, b2);
        v = loadPartial(p3 + at, lanes); a3 = madd(d0, v, a3); b3 = madd(d1, v, b3);
      }
      p0 += xRow; p1 += xRow; p2 += xRow; p3 += xRow;
      g0 += dyRow;
      g1 += dyRow;
    }
  }
  storeSums(out0, count, a0, a1, a2, a3);
  if (out1 != 0) storeSums(out1, count, b0, b1, b2, b3);
}

/** The lane sums of the first `count` accumulators, to out[0..count). */
// @ts-ignore: decorator
@inline function storeSums(out: usize, count: i32, v0: v128, v1: v128, v2: v128, v3: v128): void {
  store<f32>(out, hsum(v0));
  if (count > 1) store<f32>(out, hsum(v1), 4);
  if (count > 2) store<f32>(out, hsum(v2), 8);
  if (count > 3) store<f32>(out, hsum(v3), 12);
}
