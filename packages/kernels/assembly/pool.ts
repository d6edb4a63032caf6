// Max pooling over 2-D windows, PyTorch's rule: the first largest element of each window wins, NaN beats
// everything (so a NaN anywhere in a window comes out), padding never wins. The forward also writes where each
// maximum came from (its index in the plane, as F.max_pool2d's return_indices), which is all backward needs.

export function maxPool2d(
  planes: i32, height: i32, width: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32,
  x: usize, y: usize, indices: usize,
): void {
  const outH = (height + 2 * ph - dh * (kh - 1) - 1) / sh + 1;
  const outW = (width + 2 * pw - dw * (kw - 1) - 1) / sw + 1;
  if (kh == 2 && kw == 2 && sh == 2 && sw == 2 && ph == 0 && pw == 0 && dh == 1 && dw == 1) {
    maxPool2x2(planes, height, width, outH, outW, x, y, indices);
    return;
  }
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

/**
 * The most common pooling, 2x2 windows at stride 2 without padding, four windows at a time: the four elements of
 * each window are deinterleaved into four vectors and compared in window order, keeping PyTorch's rule (a later
 * element wins only if larger, or NaN) with selects instead of branches.
 */
function maxPool2x2(planes: i32, height: i32, width: i32, outH: i32, outW: i32, x: usize, y: usize, indices: usize): void {
  const rowBytes = <usize>width * 4;
  const steps = i32x4(0, 2, 4, 6);
  let out: usize = 0;
  for (let p = 0; p < planes; p++) {
    const plane = x + <usize>p * <usize>height * rowBytes;
    for (let oy = 0; oy < outH; oy++) {
      const top = plane + <usize>(2 * oy) * rowBytes;
      const bottom = top + rowBytes;
      // Four windows a step; the last step of a row at least 4 wide ends at the row's end, overlapping the one
      // before (its windows computed twice, the same both times). The scalar rest this replaces branches three
      // times a window on the data: in LeNet's training step (new values every step) the first pooling took
      // 0.18 ms with it and 0.07 without, where a loop over the same data (branches learnt) timed both at 0.07.
      let ox = 0;
      while (ox < outW && outW >= 4) {
        if (ox + 4 > outW) ox = outW - 4;
        const t0 = v128.load(top + <usize>ox * 8);
        const t1 = v128.load(top + <usize>ox * 8, 16);
        const b0 = v128.load(bottom + <usize>ox * 8);
        const b1 = v128.load(bottom + <usize>ox * 8, 16);
        // The window elements in order: top-left, top-right, bottom-left, bottom-right.
        const index = i32x4.add(i32x4.splat(2 * oy * width + 2 * ox), steps);
        let best = v128.shuffle<f32>(t0, t1, 0, 2, 4, 6);
        let at = index;
        const tr = v128.shuffle<f32>(t0, t1, 1, 3, 5, 7);
        let wins = v128.or(f32x4.gt(tr, best), f32x4.ne(tr, tr));
        best = v128.bitselect(tr, best, wins);
        at = v128.bitselect(i32x4.add(index, i32x4.splat(1)), at, wins);
        const bl = v128.shuffle<f32>(b0, b1, 0, 2, 4, 6);
        wins = v128.or(f32x4.gt(bl, best), f32x4.ne(bl, bl));
        best = v128.bitselect(bl, best, wins);
        at = v128.bitselect(i32x4.add(index, i32x4.splat(width)), at, wins);
        const br = v128.shuffle<f32>(b0, b1, 1, 3, 5, 7);
        wins = v128.or(f32x4.gt(br, best), f32x4.ne(br, br));
        best = v128.bitselect(br, best, wins);
        at = v128.bitselect(i32x4.add(index, i32x4.splat(width + 1)), at, wins);
        v128.store(y + (out + <usize>ox) * 4, best);
        v128.store(indices + (out + <usize>ox) * 4, at);
        ox += 4;
      }
      for (; ox < outW; ox++) {
        // Rows under 4 windows: each window's elements one by one (no arrays: the stub runtime never frees them).
        const first = 2 * oy * width + 2 * ox;
        let best = load<f32>(top + <usize>ox * 8);
        let at = first;
        let v = load<f32>(top + <usize>ox * 8, 4);
        if (v > best || isNaN(v)) { best = v; at = first + 1; }
        v = load<f32>(bottom + <usize>ox * 8);
        if (v > best || isNaN(v)) { best = v; at = first + width; }
        v = load<f32>(bottom + <usize>ox * 8, 4);
        if (v > best || isNaN(v)) { best = v; at = first + width + 1; }
        store<f32>(y + (out + <usize>ox) * 4, best);
        store<i32>(indices + (out + <usize>ox) * 4, at);
      }
      out += <usize>outW;
    }
  }
}
