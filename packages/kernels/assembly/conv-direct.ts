// A convolution at stride 1, direct: for layers with few output channels, where a GEMM's 8-wide panels would run
// part empty (LeNet's first layer has 6) and its output would need transposing into NCHW. x is padded already:
// [images, channels, hp, wp]; y [images, outChannels, outH, outW] = bias[o] + the sum over (c, i, j) of
// x[n, c, oy + i dh, ox + j dw] w[o, c, i, j]. A tile is 6 output channels by 8 neighbouring outputs of a row: per
// tap two vector loads of x (the 8 inputs under the 8 outputs) and six broadcast weights, 12 multiply-adds into
// 12 accumulators (15 registers in all, as the GEMM's tile). Outputs go straight to their NCHW places.
import { loadPartial, madd, storePartial } from './simd';

/** Output channels per tile. */
const OB: i32 = 6;

export function conv2dDirect(
  images: i32, channels: i32, hp: i32, wp: i32, outH: i32, outW: i32, outChannels: i32, kh: i32, kw: i32, dh: i32, dw: i32,
  x: usize, w: usize, bias: usize, y: usize, scratch: usize,
): void {
  const plane = <usize>hp * <usize>wp * 4;
  const outPlane = <usize>outH * <usize>outW * 4;
  const taps = channels * kh * kw;
  // scratch: each tap's byte offset in an image, then the tile's weights as [tap][6] (one pointer, immediate offsets).
  const offsets = scratch;
  const packed = scratch + <usize>taps * 4;
  let t = 0;
  for (let c = 0; c < channels; c++) {
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        store<i32>(offsets + <usize>t * 4, <i32>(<usize>c * plane) + (i * dh * wp + j * dw) * 4);
        t++;
      }
    }
  }
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
        for (; ox + 8 <= outW; ox += 8) tile8(taps, offsets, packed, top + <usize>ox * 4, bias, o0, count, row + <usize>ox * 4, outPlane);
        for (; ox < outW; ox += 4) tile4(min(4, outW - ox), taps, offsets, packed, top + <usize>ox * 4, bias, o0, count, row + <usize>ox * 4, outPlane);
      }
    }
  }
}

/** bias[o] in four lanes (zeros without a bias). */
// @ts-ignore: decorator
@inline function biasOf(bias: usize, o: i32): v128 {
  return bias == 0 ? f32x4.splat(0) : v128.load32_splat(bias + <usize>o * 4);
}

/** 6 channels x 8 outputs from the window corner `at` (x[n, 0, oy, ox]); channel c's row of out is c outPlane further. */
// @ts-ignore: decorator
@inline function tile8(taps: i32, offsets: usize, packed: usize, at: usize, bias: usize, o0: i32, count: i32, out: usize, outPlane: usize): void {
  let a00 = biasOf(bias, o0), a10 = biasOf(bias, o0 + min(1, count - 1)), a20 = biasOf(bias, o0 + min(2, count - 1));
  let a30 = biasOf(bias, o0 + min(3, count - 1)), a40 = biasOf(bias, o0 + min(4, count - 1)), a50 = biasOf(bias, o0 + min(5, count - 1));
  let a01 = a00, a11 = a10, a21 = a20, a31 = a30, a41 = a40, a51 = a50;
  let wk = packed;
  let ok = offsets;
  for (let k = taps; k > 0; k--) {
    const p = at + <usize>load<i32>(ok);
    const x0 = v128.load(p);
    const x1 = v128.load(p, 16);
    let v = v128.load32_splat(wk); a00 = madd(x0, v, a00); a01 = madd(x1, v, a01);
    v = v128.load32_splat(wk, 4); a10 = madd(x0, v, a10); a11 = madd(x1, v, a11);
    v = v128.load32_splat(wk, 8); a20 = madd(x0, v, a20); a21 = madd(x1, v, a21);
    v = v128.load32_splat(wk, 12); a30 = madd(x0, v, a30); a31 = madd(x1, v, a31);
    v = v128.load32_splat(wk, 16); a40 = madd(x0, v, a40); a41 = madd(x1, v, a41);
    v = v128.load32_splat(wk, 20); a50 = madd(x0, v, a50); a51 = madd(x1, v, a51);
    ok += 4;
    wk += OB * 4;
  }
  v128.store(out, a00); v128.store(out, a01, 16);
  if (count > 1) { v128.store(out + outPlane, a10); v128.store(out + outPlane, a11, 16); }
  if (count > 2) { v128.store(out + 2 * outPlane, a20); v128.store(out + 2 * outPlane, a21, 16); }
  if (count > 3) { v128.store(out + 3 * outPlane, a30); v128.store(out + 3 * outPlane, a31, 16); }
  if (count > 4) { v128.store(out + 4 * outPlane, a40); v128.store(out + 4 * outPlane, a41, 16); }
  if (count > 5) { v128.store(out + 5 * outPlane, a50); v128.store(out + 5 * outPlane, a51, 16); }
}

/** tile8 for the last 1-4 outputs of a row: one vector, reading and writing only `lanes` of them. */
// @ts-ignore: decorator
@inline function tile4(lanes: i32, taps: i32, offsets: usize, packed: usize, at: usize, bias: usize, o0: i32, count: i32, out: usize, outPlane: usize): void {
  let a0 = biasOf(bias, o0), a1 = biasOf(bias, o0 + min(1, count - 1)), a2 = biasOf(bias, o0 + min(2, count - 1));
  let a3 = biasOf(bias, o0 + min(3, count - 1)), a4 = biasOf(bias, o0 + min(4, count - 1)), a5 = biasOf(bias, o0 + min(5, count - 1));
  let wk = packed;
  let ok = offsets;
  for (let k = taps; k > 0; k--) {
    const x0 = loadPartial(at + <usize>load<i32>(ok), lanes);
    a0 = madd(x0, v128.load32_splat(wk), a0);
    a1 = madd(x0, v128.load32_splat(wk, 4), a1);
    a2 = madd(x0, v128.load32_splat(wk, 8), a2);
    a3 = madd(x0, v128.load32_splat(wk, 12), a3);
    a4 = madd(x0, v128.load32_splat(wk, 16), a4);
    a5 = madd(x0, v128.load32_splat(wk, 20), a5);
    ok += 4;
    wk += OB * 4;
  }
  storePartial(out, a0, lanes);
  if (count > 1) storePartial(out + outPlane, a1, lanes);
  if (count > 2) storePartial(out + 2 * outPlane, a2, lanes);
  if (count > 3) storePartial(out + 3 * outPlane, a3, lanes);
  if (count > 4) storePartial(out + 4 * outPlane, a4, lanes);
  if (count > 5) storePartial(out + 5 * outPlane, a5, lanes);
}
