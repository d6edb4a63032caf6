// Sliding windows over images as the columns of a matrix (im2col, PyTorch's F.unfold), and back (col2im, F.fold):
// what turns a convolution into one GEMM and pooling into a reduction. x is [images, channels, height, width];
// cols is [images, channels * kh * kw, outH * outW], row (c * kh + i) * kw + j holding, for every output position
// (oy, ox), x[c, oy * sh - ph + i * dh, ox * sw - pw + j * dw], or 0 where that lies in the padding.
// For each row the positions inside the image are a range of ox found once, so the body is a copy (stride 1) or
// a strided gather, and padding is zeroed around it.
import { storePartial } from './simd';

/** The output positions along one axis: floor((size + 2 pad - dilation (k - 1) - 1) / stride) + 1. */
// @ts-ignore: decorator
@inline function outSize(size: i32, k: i32, stride: i32, pad: i32, dilation: i32): i32 {
  return (size + 2 * pad - dilation * (k - 1) - 1) / stride + 1;
}

/** The first output position whose input coordinate o * stride + offset is >= 0. */
// @ts-ignore: decorator
@inline function firstInside(offset: i32, stride: i32): i32 {
  return offset >= 0 ? 0 : (-offset + stride - 1) / stride;
}

/** One past the last output position (below `out`) whose input coordinate o * stride + offset is < size. */
// @ts-ignore: decorator
@inline function endInside(offset: i32, stride: i32, size: i32, out: i32): i32 {
  if (offset >= size) return 0;
  const end = (size - offset + stride - 1) / stride;
  return end < out ? end : out;
}

/**
 * What im2col and col2im do with one row of columns (one kernel offset, one output row): `inside` for a row of
 * the image, with [lo, hi) the output positions whose input lies inside it; `outside` for a padding row.
 */
abstract class RowMove {
  abstract inside(col: usize, row: usize, lo: i32, hi: i32, outW: i32, colOffset: i32, sw: i32): void;
  abstract outside(col: usize, outW: i32): void;
}

/** Gathers an image row into the columns, zero where the windows reach the padding. */
class Gather extends RowMove {
  // @ts-ignore: decorator
  @inline inside(col: usize, row: usize, lo: i32, hi: i32, outW: i32, colOffset: i32, sw: i32): void {
    zeroRow(col, lo);
    if (sw == 1) {
      copyRow(col + <usize>lo * 4, row + <usize>(lo + colOffset) * 4, hi - lo);
    } else {
      for (let ox = lo; ox < hi; ox++) store<f32>(col + <usize>ox * 4, load<f32>(row + <usize>(ox * sw + colOffset) * 4));
    }
    zeroRow(col + <usize>hi * 4, outW - hi);
  }

  // @ts-ignore: decorator
  @inline outside(col: usize, outW: i32): void {
    zeroRow(col, outW);
  }
}

/** Adds the columns back into an image row; what lay in the padding is dropped. */
class Scatter extends RowMove {
  // @ts-ignore: decorator
  @inline inside(col: usize, row: usize, lo: i32, hi: i32, outW: i32, colOffset: i32, sw: i32): void {
    if (sw == 1) {
      addRow(row + <usize>(lo + colOffset) * 4, col + <usize>lo * 4, hi - lo);
    } else {
      for (let ox = lo; ox < hi; ox++) {
        const p = row + <usize>(ox * sw + colOffset) * 4;
        store<f32>(p, load<f32>(p) + load<f32>(col + <usize>ox * 4));
      }
    }
  }

  // @ts-ignore: decorator
  @inline outside(col: usize, outW: i32): void {}
}

/** Walks every row of columns with the image row it belongs to, in the columns' order. */
// @ts-ignore: decorator
@inline function eachColumnRow<Move extends RowMove>(
  images: i32, channels: i32, height: i32, width: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32,
  x: usize, cols: usize,
): void {
  // The methods never read `this`: a null reference only picks them at compile time, and they inline.
  const move = changetype<Move>(0);
  const outH = outSize(height, kh, sh, ph, dh);
  const outW = outSize(width, kw, sw, pw, dw);
  const plane = <usize>height * <usize>width;
  let col = cols;
  for (let n = 0; n < images; n++) {
    for (let c = 0; c < channels; c++) {
      const image = x + (<usize>n * <usize>channels + <usize>c) * plane * 4;
      for (let i = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++) {
          const colOffset = j * dw - pw;
          const lo = min(firstInside(colOffset, sw), outW);
          const hi = max(lo, endInside(colOffset, sw, width, outW));
          for (let oy = 0; oy < outH; oy++) {
            const iy = oy * sh - ph + i * dh;
            if (iy < 0 || iy >= height) move.outside(col, outW);
            else move.inside(col, image + <usize>iy * <usize>width * 4, lo, hi, outW, colOffset, sw);
            col += <usize>outW * 4;
          }
        }
      }
    }
  }
}

export function im2col(
  images: i32, channels: i32, height: i32, width: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32,
  x: usize, cols: usize,
): void {
  eachColumnRow<Gather>(images, channels, height, width, kh, kw, sh, sw, ph, pw, dh, dw, x, cols);
}

/**
 * dx = the sum, over every window position, of cols put back where im2col took it from (padding dropped). At
 * stride 1 with scratch (col2imScratchFloats floats, not 0) each dx vector is gathered instead; otherwise the
 * columns are added into dx row by row. Either way each dx element sums its terms in the columns' order.
 */
export function col2im(
  images: i32, channels: i32, height: i32, width: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32,
  cols: usize, dx: usize, scratch: usize,
): void {
  if (sh == 1 && sw == 1 && scratch != 0) {
    gatherColumns(images * channels, height, width, kh, kw, ph, pw, dh, dw, cols, dx, scratch);
    return;
  }
  memory.fill(dx, 0, <usize>images * <usize>channels * <usize>height * <usize>width * 4);
  eachColumnRow<Scatter>(images, channels, height, width, kh, kw, sh, sw, ph, pw, dh, dw, dx, cols);
}

/** Zeros left of every row of a channel's columns in the gather's scratch (and right of the last). */
// @ts-ignore: decorator
@inline function gatherGap(kw: i32, pw: i32, dw: i32): i32 {
  return max(0, dw * (kw - 1) - pw);
}

/**
 * The floats of col2im's scratch at stride 1 (one channel's columns with their gaps, 4 to read past the end); in
 * float64, as for large planes and windows it passes 2^31.
 */
export function col2imScratchFloats(height: i32, width: i32, kh: i32, kw: i32, ph: i32, pw: i32, dh: i32, dw: i32): f64 {
  const outH = outSize(height, kh, 1, ph, dh);
  const outW = outSize(width, kw, 1, pw, dw);
  const gap = gatherGap(kw, pw, dw);
  return <f64>gap + <f64>kh * <f64>kw * <f64>outH * <f64>(outW + gap) + 4;
}

/**
 * col2im at stride 1, where dx[y, x] = the sum over (i, j) of the column row (i, j) at (y + ph - i dh, x + pw - j dw)
 * when that lies inside it. Adding the rows into dx (the scatter) makes each row's loads overlap the last rows'
 * stores one element apart, which the processor cannot forward: LeNet's second layer ran at 2.8 column elements
 * a nanosecond (6.8 now, one thread). Instead each plane's columns are copied into scratch with zeros between the rows, wide enough that a
 * row read up to the window's reach either side reads zeros past its ends; then each vector of dx sums its
 * (i, j) terms in registers, in the columns' order, and is stored once.
 */
function gatherColumns(
  planes: i32, height: i32, width: i32, kh: i32, kw: i32, ph: i32, pw: i32, dh: i32, dw: i32, cols: usize, dx: usize, scratch: usize,
): void {
  const outH = outSize(height, kh, 1, ph, dh);
  const outW = outSize(width, kw, 1, pw, dw);
  const gap = gatherGap(kw, pw, dw);
  const pitch = <usize>(outW + gap) * 4;
  const rows = kh * kw * outH;
  memory.fill(scratch, 0, <usize>col2imScratchFloats(height, width, kh, kw, ph, pw, dh, dw) * 4);
  const first = scratch + <usize>gap * 4;
  // From one tap (i, j) to the next (i, j + 1): one block of outH rows on, dw elements back.
  const nextTap = <usize>outH * pitch - <usize>dw * 4;
  let col = cols;
  let out = dx;
  for (let p = 0; p < planes; p++) {
    copyRows(first, pitch, col, outW, rows);
    col += <usize>rows * <usize>outW * 4;
    for (let y = 0; y < height; y++) {
      let x = 0;
      for (; x + 12 < width; x += 16) gatherVectors(4, min(16, width - x), first, kh, kw, outH, y + ph, dh, x + pw, pitch, nextTap, out + <usize>x * 4);
      for (; x < width; x += 4) gatherVectors(1, min(4, width - x), first, kh, kw, outH, y + ph, dh, x + pw, pitch, nextTap, out + <usize>x * 4);
      out += <usize>width * 4;
    }
  }
}

/**
 * `vectors` (a constant: 1 or 4) vectors of a dx row from the columns in scratch: at (oy0 - i dh, ox - j dw) of
 * tap (i, j)'s rows for every i whose row lies inside; only the first `lanes` are stored.
 */
// @ts-ignore: decorator
@inline function gatherVectors(
  vectors: i32, lanes: i32, first: usize, kh: i32, kw: i32, outH: i32, oy0: i32, dh: i32, ox: i32, pitch: usize, nextTap: usize, out: usize,
): void {
  let a = f32x4.splat(0), b = a, c = a, d = a;
  for (let i = 0; i < kh; i++) {
    const oy = oy0 - i * dh;
    if (oy < 0 || oy >= outH) continue;
    let p = first + (<usize>(i * kw) * <usize>outH + <usize>oy) * pitch + <usize>ox * 4;
    for (let j = 0; j < kw; j++) {
      a = f32x4.add(a, v128.load(p));
      if (vectors > 1) {
        b = f32x4.add(b, v128.load(p, 16));
        c = f32x4.add(c, v128.load(p, 32));
        d = f32x4.add(d, v128.load(p, 48));
      }
      p += nextTap;
    }
  }
  storeVectors(vectors, lanes, out, a, b, c, d);
}

/** `vectors` (1 or 4) vectors a, b, c, d at out, only the first `lanes` of them. */
// @ts-ignore: decorator
@inline function storeVectors(vectors: i32, lanes: i32, out: usize, a: v128, b: v128, c: v128, d: v128): void {
  if (vectors == 1) {
    storePartial(out, a, lanes);
    return;
  }
  v128.store(out, a);
  v128.store(out, b, 16);
  v128.store(out, c, 32);
  storePartial(out + 48, d, lanes - 12);
}

// @ts-ignore: decorator
@inline function zeroRow(dst: usize, n: i32): void {
  let k = 0;
  for (; k + 4 <= n; k += 4) v128.store(dst + <usize>k * 4, f32x4.splat(0));
  for (; k < n; k++) store<f32>(dst + <usize>k * 4, 0);
}

// Rows are short (a few to a few hundred floats): inline loops beat memory.copy and memory.fill, which V8 runs
// as calls out of the module.
/** dst[k] = src[k] for k < n (the ranges do not overlap). */
// @ts-ignore: decorator
@inline function copyRow(dst: usize, src: usize, n: i32): void {
  let k = 0;
  for (; k + 4 <= n; k += 4) v128.store(dst + <usize>k * 4, v128.load(src + <usize>k * 4));
  for (; k < n; k++) store<f32>(dst + <usize>k * 4, load<f32>(src + <usize>k * 4));
}

/** `rows` rows of n floats from src (one after another) to dst (pitch bytes apart). */
function copyRows(dst: usize, pitch: usize, src: usize, n: i32, rows: i32): void {
  // Short rows in a fixed number of vectors, the last ending at n: loops of one to three vectors cost more than the copy.
  if (n >= 4 && n <= 16) {
    const vectors = (n + 3) >> 2;
    if (vectors == 1) copyVectors(1, dst, pitch, src, n, rows);
    else if (vectors == 2) copyVectors(2, dst, pitch, src, n, rows);
    else if (vectors == 3) copyVectors(3, dst, pitch, src, n, rows);
    else copyVectors(4, dst, pitch, src, n, rows);
    return;
  }
  for (let r = 0; r < rows; r++) copyRow(dst + <usize>r * pitch, src + <usize>r * <usize>n * 4, n);
}

/** copyRows for rows of n floats, 4 <= n <= 16, as `vectors` = ceil(n / 4) vectors (a constant), the last ending at n. */
// @ts-ignore: decorator
@inline function copyVectors(vectors: i32, dst: usize, pitch: usize, src: usize, n: i32, rows: i32): void {
  const last = <usize>(n - 4) * 4;
  const step = <usize>n * 4;
  for (let r = 0; r < rows; r++) {
    if (vectors > 1) v128.store(dst, v128.load(src));
    if (vectors > 2) v128.store(dst, v128.load(src, 16), 16);
    if (vectors > 3) v128.store(dst, v128.load(src, 32), 32);
    v128.store(dst + last, v128.load(src + last));
    dst += pitch;
    src += step;
  }
}

/** dst[k] += src[k] for k < n, four lanes at a time. */
// @ts-ignore: decorator
@inline function addRow(dst: usize, src: usize, n: i32): void {
  let k = 0;
  for (; k + 4 <= n; k += 4) {
    const at = <usize>k * 4;
    v128.store(dst + at, f32x4.add(v128.load(dst + at), v128.load(src + at)));
  }
  for (; k < n; k++) store<f32>(dst + <usize>k * 4, load<f32>(dst + <usize>k * 4) + load<f32>(src + <usize>k * 4));
}
