// Max pooling over 2-D windows, PyTorch's rule: the first largest element of each window wins, NaN beats
// everything (so a NaN anywhere in a window comes out), padding never wins. The forward also writes where each
// maximum came from (its index in the plane, as F.max_pool2d's return_indices), which is all backward needs.

export function maxPool2d(
  planes: i32, height: i32, width: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32,
  x: usize, y: usize, indices: usize,
): void {
  const outH = (height + 2 * ph - dh * (kh - 1) - 1) / sh + 1;
  const outW = (width + 2 * pw - dw * (kw - 1) - 1) / sw + 1;
  let out: usize = 0;
  for (let p = 0; p < planes; p++) {
    const plane = x + <usize>p * <usize>height * <usize>width * 4;
    for (let oy = 0; oy < outH; oy++) {
      // The window's first row inside the image, and one past its last (padding rows skipped).
      let y0 = oy * sh - ph;
      while (y0 < 0) y0 += dh;
      const y1 = min(oy * sh - ph + (kh - 1) * dh + 1, height);
      for (let ox = 0; ox < outW; ox++) {
        let x0 = ox * sw - pw;
        while (x0 < 0) x0 += dw;
        const x1 = min(ox * sw - pw + (kw - 1) * dw + 1, width);
        let best: f32 = -Infinity;
        let at = y0 * width + x0;
        for (let iy = y0; iy < y1; iy += dh) {
          for (let ix = x0; ix < x1; ix += dw) {
            const v = load<f32>(plane + <usize>(iy * width + ix) * 4);
            if (v > best || isNaN(v)) {
              best = v;
              at = iy * width + ix;
            }
          }
        }
        store<f32>(y + out * 4, best);
        store<i32>(indices + out * 4, at);
        out++;
      }
    }
  }
}

/** dx = 0, then each dy added to the element its window's maximum came from. */
export function maxPool2dBackward(planes: i32, inputPlane: i32, outputPlane: i32, indices: usize, dy: usize, dx: usize): void {
  memory.fill(dx, 0, <usize>planes * <usize>inputPlane * 4);
  for (let p = 0; p < planes; p++) {
    const base = dx + <usize>p * <usize>inputPlane * 4;
    const first = <usize>p * <usize>outputPlane;
    for (let o = 0; o < outputPlane; o++) {
      const at = base + <usize>load<i32>(indices + (first + o) * 4) * 4;
      store<f32>(at, load<f32>(at) + load<f32>(dy + (first + o) * 4));
    }
  }
}
