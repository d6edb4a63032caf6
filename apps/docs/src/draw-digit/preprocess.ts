// A drawing as MNIST draws its digits: the ink's bounding box scaled so its longer side is 20 pixels, placed in a
// 28 x 28 image with its centre of mass at the centre (LeCun et al.'s normalisation), values in [0, 1].

/** ink: a size x size grey image (0 = background, 255 = full ink), row-major. Null when nothing is drawn. */
export function toMnist(ink: ArrayLike<number>, size: number): Float32Array | null {
  let [top, bottom, left, right] = [size, -1, size, -1];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (ink[y * size + x]! > 0) [top, bottom, left, right] = [Math.min(top, y), Math.max(bottom, y), Math.min(left, x), Math.max(right, x)];
    }
  }
  if (bottom < 0) return null;
  const side = Math.max(bottom - top + 1, right - left + 1);
  const scale = 20 / side;
  const [h, w] = [Math.max(1, Math.round((bottom - top + 1) * scale)), Math.max(1, Math.round((right - left + 1) * scale))];
  // Area average of the box into h x w.
  const small = new Float32Array(h * w);
  const counts = new Float32Array(h * w);
  for (let y = top; y <= bottom; y++) {
    for (let x = left; x <= right; x++) {
      const at = Math.min(h - 1, Math.floor((y - top) * scale)) * w + Math.min(w - 1, Math.floor((x - left) * scale));
      small[at]! += ink[y * size + x]! / 255;
      counts[at]!++;
    }
  }
  let [mass, cy, cx] = [0, 0, 0];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = (small[y * w + x]! /= Math.max(1, counts[y * w + x]!));
      [mass, cy, cx] = [mass + v, cy + v * y, cx + v * x];
    }
  }
  // Shift so the centre of mass lands on the grid's middle (13.5, 13.5), keeping the box inside the image.
  const clamp = (v: number, hi: number) => Math.min(Math.max(v, 0), hi);
  const oy = clamp(Math.round(13.5 - cy / mass), 28 - h);
  const ox = clamp(Math.round(13.5 - cx / mass), 28 - w);
  const out = new Float32Array(784);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[(y + oy) * 28 + x + ox] = Math.min(1, small[y * w + x]!);
  return out;
}
