import { tensor, type Tensor } from '@backprop/autograd';

/**
 * Images [n, h * w] shifted by (dx, dy) pixels (right and down positive), the uncovered border filled with 0:
 * the cheapest augmentation for digits, which teaches a network that a digit is the same a pixel over.
 */
export function translate(x: Tensor, [h, w]: readonly [number, number], dx: number, dy: number): Tensor {
  if (x.rank !== 2 || x.shape[1] !== h * w) throw new RangeError(`translate: expected images [n, ${h * w}], got [${x.shape.join(', ')}]`);
  if (!Number.isInteger(dx) || !Number.isInteger(dy)) throw new RangeError(`translate: shifts must be whole pixels, got (${dx}, ${dy})`);
  const n = x.shape[0]!;
  const v = x.values();
  const out = new Float32Array(v.length);
  for (let i = 0; i < n; i++) {
    const base = i * h * w;
    for (let r = Math.max(0, dy); r < Math.min(h, h + dy); r++) {
      const from = base + (r - dy) * w;
      const to = base + r * w;
      for (let c = Math.max(0, dx); c < Math.min(w, w + dx); c++) out[to + c] = v[from + c - dx]!;
    }
  }
  return tensor(out, { shape: [n, h * w] });
}
