// Depthwise convolution (groups = channels, one kernel per channel), direct: as a GEMM each group would be a
// product with one output column, an eighth of the 4x8 tile. x is padded already: [images, channels, hp, wp];
// y [images, channels, outH, outW] = sum over (i, j) of x[.., oy sh + i dh, ox sw + j dw] w[c, i, j]. At stride 1
// four neighbouring outputs read four neighbouring inputs per tap: one vector load each. Both kernels compute
// channels [c0, c1) only, so threads can take ranges of channels.

export function depthwiseConv2d(
  images: i32, channels: i32, c0: i32, c1: i32, hp: i32, wp: i32, outH: i32, outW: i32, kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32,
  x: usize, w: usize, y: usize,
): void {
  for (let n = 0; n < images; n++) {
    for (let c = c0; c < c1; c++) {
      let out = y + (<usize>n * <usize>channels + <usize>c) * <usize>outH * <usize>outW * 4;
      const plane = x + (<usize>n * <usize>channels + <usize>c) * <usize>hp * <usize>wp * 4;
      const kernel = w + <usize>c * <usize>kh * <usize>kw * 4;
      for (let oy = 0; oy < outH; oy++) {
        const top = plane + <usize>(oy * sh) * <usize>wp * 4;
        let ox = 0;
        if (sw == 1) {
          for (; ox + 4 <= outW; ox += 4) {
            let acc = f32x4.splat(0);
            for (let i = 0; i < kh; i++) {
              const row = top + <usize>(i * dh) * <usize>wp * 4 + <usize>ox * 4;
              for (let j = 0; j < kw; j++) {
                acc = f32x4.add(acc, f32x4.mul(v128.load(row + <usize>(j * dw) * 4), v128.load32_splat(kernel + <usize>(i * kw + j) * 4)));
              }
            }
            v128.store(out + <usize>ox * 4, acc);
          }
        }
        for (; ox < outW; ox++) {
          let acc: f32 = 0;
          for (let i = 0; i < kh; i++) {
            const row = top + <usize>(i * dh) * <usize>wp * 4 + <usize>(ox * sw) * 4;
            for (let j = 0; j < kw; j++) acc += load<f32>(row + <usize>(j * dw) * 4) * load<f32>(kernel + <usize>(i * kw + j) * 4);
          }
          store<f32>(out + <usize>ox * 4, acc);
        }
        out += <usize>outW * 4;
      }
    }
  }
}

/** dw[c, i, j] = the sum over images and output positions of x[.., oy sh + i dh, ox sw + j dw] dy[n, c, oy, ox]. */
export function depthwiseConv2dWeightGrad(
  images: i32, channels: i32, c0: i32, c1: i32, hp: i32, wp: i32, outH: i32, outW: i32, kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32,
  x: usize, dy: usize, dweight: usize,
): void {
  for (let c = c0; c < c1; c++) {
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        let acc = f32x4.splat(0);
        let tail: f32 = 0;
        for (let n = 0; n < images; n++) {
          const plane = x + (<usize>n * <usize>channels + <usize>c) * <usize>hp * <usize>wp * 4 + <usize>(i * dh) * <usize>wp * 4 + <usize>(j * dw) * 4;
          const grads = dy + (<usize>n * <usize>channels + <usize>c) * <usize>outH * <usize>outW * 4;
          for (let oy = 0; oy < outH; oy++) {
            const row = plane + <usize>(oy * sh) * <usize>wp * 4;
            const g = grads + <usize>oy * <usize>outW * 4;
            let ox = 0;
            if (sw == 1) for (; ox + 4 <= outW; ox += 4) acc = f32x4.add(acc, f32x4.mul(v128.load(row + <usize>ox * 4), v128.load(g + <usize>ox * 4)));
            for (; ox < outW; ox++) tail += load<f32>(row + <usize>(ox * sw) * 4) * load<f32>(g + <usize>ox * 4);
          }
        }
        store<f32>(dweight + <usize>((c * kh + i) * kw + j) * 4, f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3) + tail);
      }
    }
  }
}
