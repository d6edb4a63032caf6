// PReLU over x viewed as [outer, channels, inner] with one learnable slope per channel (channels = 1: shared),
// as PyTorch's nn.PReLU: y = x for x > 0, alpha[c] * x otherwise.

export function prelu(outer: i32, channels: i32, inner: i32, x: usize, alpha: usize, y: usize): void {
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const base = (<usize>o * <usize>channels + <usize>c) * <usize>inner * 4;
      const a = load<f32>(alpha + <usize>c * 4);
      const va = f32x4.splat(a);
      let i = 0;
      for (; i + 4 <= inner; i += 4) {
        const off = base + <usize>i * 4;
        const v = v128.load(x + off);
        v128.store(y + off, v128.bitselect(v, f32x4.mul(v, va), f32x4.gt(v, f32x4.splat(0))));
      }
      for (; i < inner; i++) {
        const off = base + <usize>i * 4;
        const v = load<f32>(x + off);
        store<f32>(y + off, v > 0 ? v : v * a);
      }
    }
  }
}

/** dx = dy where x > 0, else alpha[c] dy; dalpha[c] = sum of dy * x where x <= 0 (overwritten, not added). */
export function preluBackward(
  outer: i32, channels: i32, inner: i32, x: usize, alpha: usize, dy: usize, dx: usize, dalpha: usize,
): void {
  for (let c = 0; c < channels; c++) store<f32>(dalpha + <usize>c * 4, 0);
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const base = (<usize>o * <usize>channels + <usize>c) * <usize>inner * 4;
      const a = load<f32>(alpha + <usize>c * 4);
      const va = f32x4.splat(a);
      let acc = f32x4.splat(0);
      let tail: f32 = 0;
      let i = 0;
      for (; i + 4 <= inner; i += 4) {
        const off = base + <usize>i * 4;
        const v = v128.load(x + off);
        const g = v128.load(dy + off);
        const pos = f32x4.gt(v, f32x4.splat(0));
        v128.store(dx + off, v128.bitselect(g, f32x4.mul(g, va), pos));
        acc = f32x4.add(acc, v128.andnot(f32x4.mul(g, v), pos));
      }
      for (; i < inner; i++) {
        const off = base + <usize>i * 4;
        const v = load<f32>(x + off);
        const g = load<f32>(dy + off);
        store<f32>(dx + off, v > 0 ? g : g * a);
        if (!(v > 0)) tail += g * v;
      }
      const sum = (f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1)) + (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
      store<f32>(dalpha + <usize>c * 4, load<f32>(dalpha + <usize>c * 4) + sum + tail);
    }
  }
}
