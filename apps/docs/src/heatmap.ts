// Painting a grid of numbers on a canvas with the TensorFlow Playground's diverging palette: orange for the
// low end (label 0, negative outputs), white in the middle, blue for the high end.
const LOW = [245, 147, 34] as const;
const MID = [232, 234, 235] as const;
const HIGH = [8, 119, 189] as const;

/** The palette's colour at t in [0, 1], as r, g, b. */
export function palette(t: number): [number, number, number] {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0.5));
  const [from, to, u] = clamped < 0.5 ? [LOW, MID, clamped * 2] : [MID, HIGH, (clamped - 0.5) * 2];
  return [0, 1, 2].map((c) => Math.round(from[c]! + (to[c]! - from[c]!) * u)) as [number, number, number];
}

/** Maps values to [0, 1]: probabilities as they are, other outputs symmetric around 0 by their largest magnitude. */
export function normalise(values: Float32Array, kind: 'probability' | 'signed'): Float32Array {
  if (kind === 'probability') return values;
  let max = 1e-6;
  for (const v of values) if (Number.isFinite(v)) max = Math.max(max, Math.abs(v));
  return values.map((v) => 0.5 + 0.5 * (v / max));
}

/** Draws a size x size grid (row-major, top row first) scaled to the canvas. */
export function paintGrid(canvas: HTMLCanvasElement, grid: Float32Array, size: number): void {
  const context = canvas.getContext('2d');
  if (!context) return;
  const image = context.createImageData(size, size);
  grid.forEach((t, i) => {
    const [r, g, b] = palette(t);
    image.data.set([r, g, b, 255], i * 4);
  });
  const scratch = new OffscreenCanvas(size, size);
  scratch.getContext('2d')!.putImageData(image, 0, 0);
  context.imageSmoothingEnabled = true;
  context.drawImage(scratch, 0, 0, canvas.width, canvas.height);
}
