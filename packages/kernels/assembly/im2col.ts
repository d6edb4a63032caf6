// Sliding windows over images as the columns of a matrix (im2col, PyTorch's F.unfold), and back (col2im, F.fold):
// what turns a convolution into one GEMM and pooling into a reduction. x is [images, channels, height, width];
// cols is [images, channels * kh * kw, outH * outW], row (c * kh + i) * kw + j holding, for every output position
// (oy, ox), x[c, oy * sh - ph + i * dh, ox * sw - pw + j * dw], or 0 where that lies in the padding.
// For each row the positions inside the image are a range of ox found once, so the body is a copy (stride 1) or
// a strided gather, and padding is zeroed around it.

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

/** dx = the sum, over every window position, of cols put back where im2col took it from (padding dropped). */
export function col2im(
  images: i32, channels: i32, height: i32, width: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32,
  cols: usize, dx: usize,
): void {
  memory.fill(dx, 0, <usize>images * <usize>channels * <usize>height * <usize>width * 4);
  eachColumnRow<Scatter>(images, channels, height, width, kh, kw, sh, sw, ph, pw, dh, dw, dx, cols);
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
