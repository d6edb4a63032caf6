// Seeded, composable augmentation of image batches ([n, c, h, w] or [n, h, w]), for DataLoader's `transform`:
// each transform draws from its own seeded stream, so the same seed and the same batches give the same images.
import { checkOptions, describeValue, seededRandom, Tensor, tensor } from '@backprop/autograd';

/** A batch of images in, a batch out. */
export type Transform = (images: Tensor) => Tensor;

/** Applies transforms left to right. */
export function compose(...transforms: Transform[]): Transform {
  transforms.forEach((t, i) => {
    if (typeof t !== 'function') throw new TypeError(`compose: transform ${i} must be a function, got ${describeValue(t)}`);
  });
  return (images) => transforms.reduce((x, t) => t(x), images);
}

export interface RandomCropOptions {
  /** The crop's size: n or [h, w] (default: the image's own, so padding > 0 makes random shifts). */
  size?: number | readonly [number, number];
  /** Zeros added on every side first (default 0). */
  padding?: number;
  seed?: number;
}

/** Pads each image with zeros, then cuts out `size` at a random place (torchvision's RandomCrop). */
export function randomCrop(options: RandomCropOptions = {}): Transform {
  checkOptions('randomCrop', options, { size: undefined, padding: 0, seed: 0 } satisfies Record<keyof RandomCropOptions, unknown>);
  const { size, padding = 0, seed = 0 } = options;
  wholeNumber('randomCrop', 'padding', padding);
  const random = seededRandom(seedOf('randomCrop', seed));
  return (images) => {
    const g = geometry('randomCrop', images);
    const [outH, outW] = size === undefined ? [g.h, g.w] : typeof size === 'number' ? [size, size] : size;
    wholeNumber('randomCrop', 'size', outH, 1);
    wholeNumber('randomCrop', 'size', outW, 1);
    if (outH > g.h + 2 * padding || outW > g.w + 2 * padding) {
      throw new RangeError(`randomCrop: a ${outH}x${outW} crop does not fit in ${g.h}x${g.w} images padded by ${padding}`);
    }
    return remap(images, g, outH, outW, () => {
      const top = Math.floor(random() * (g.h + 2 * padding - outH + 1)) - padding;
      const left = Math.floor(random() * (g.w + 2 * padding - outW + 1)) - padding;
      return { top, left, mirror: false };
    });
  };
}

/** Moves each image by a random whole number of pixels in [-max, max] on each axis, filling with zeros. */
export function randomShift(options: { max: number; seed?: number }): Transform {
  checkOptions('randomShift', options, { max: 1, seed: 0 });
  const { max, seed = 0 } = options;
  wholeNumber('randomShift', 'max', max);
  return randomCrop({ padding: max, seed });
}

/** Mirrors each image left to right with probability p (default 0.5). */
export function randomHorizontalFlip(options: { p?: number; seed?: number } = {}): Transform {
  checkOptions('randomHorizontalFlip', options, { p: 0.5, seed: 0 });
  const { p = 0.5, seed = 0 } = options;
  if (!(p >= 0 && p <= 1)) throw new RangeError(`randomHorizontalFlip: p must be in [0, 1], got ${p}`);
  const random = seededRandom(seedOf('randomHorizontalFlip', seed));
  return (images) => {
    const g = geometry('randomHorizontalFlip', images);
    return remap(images, g, g.h, g.w, () => ({ top: 0, left: 0, mirror: random() < p }));
  };
}

/** Adds Gaussian noise of standard deviation std to every pixel. */
export function gaussianNoise(options: { std: number; seed?: number }): Transform {
  checkOptions('gaussianNoise', options, { std: 0.1, seed: 0 });
  const { std, seed = 0 } = options;
  if (!(std >= 0 && Number.isFinite(std))) throw new RangeError(`gaussianNoise: std must be a finite number >= 0, got ${shown(std)}`);
  const random = seededRandom(seedOf('gaussianNoise', seed));
  return (images) => {
    geometry('gaussianNoise', images);
    const out = Float32Array.from(images.values());
    for (let i = 0; i < out.length; i += 2) {
      // Box-Muller: two normal samples from two uniform ones (1 - u keeps the log finite).
      const radius = std * Math.sqrt(-2 * Math.log(1 - random()));
      const angle = 2 * Math.PI * random();
      out[i] = out[i]! + radius * Math.cos(angle);
      if (i + 1 < out.length) out[i + 1] = out[i + 1]! + radius * Math.sin(angle);
    }
    return tensor(out, { shape: images.shape });
  };
}

/**
 * Images [n, h * w] shifted by (dx, dy) pixels (right and down positive), the uncovered border filled with 0:
 * the cheapest augmentation for digits, which teaches a network that a digit is the same a pixel over.
 */
export function translate(x: Tensor, [h, w]: readonly [number, number], dx: number, dy: number): Tensor {
  if (x.rank !== 2 || x.shape[1] !== h * w) throw new RangeError(`translate: expected images [n, ${h * w}], got [${x.shape.join(', ')}]`);
  if (!Number.isInteger(dx) || !Number.isInteger(dy)) throw new RangeError(`translate: shifts must be whole pixels, got (${dx}, ${dy})`);
  const n = x.shape[0]!;
  return remap(x.reshape([n, h, w]), { n, channels: 1, h, w }, h, w, () => ({ top: -dy, left: -dx, mirror: false })).reshape([n, h * w]);
}

interface Geometry {
  n: number;
  channels: number;
  h: number;
  w: number;
}

function geometry(owner: string, images: unknown): Geometry {
  if (!(images instanceof Tensor)) throw new TypeError(`${owner}: expected a Tensor of images, got ${describeValue(images)}`);
  if (images.dtype !== 'float32') throw new TypeError(`${owner}: expected float32 images, got ${images.dtype}`);
  const s = images.shape;
  if (s.length === 4) return { n: s[0]!, channels: s[1]!, h: s[2]!, w: s[3]! };
  if (s.length === 3) return { n: s[0]!, channels: 1, h: s[1]!, w: s[2]! };
  throw new RangeError(`${owner}: expected images [n, c, h, w] or [n, h, w], got [${s.join(', ')}] (reshape flat images first, e.g. x.reshape([-1, 1, 28, 28]))`);
}

/** Where an output image reads from: row r + top, column c + left (of the mirrored image if mirror). */
interface Placement {
  top: number;
  left: number;
  mirror: boolean;
}

/**
 * out[i, ch, r, c] = in[i, ch, r + top, c + left] (columns mirrored first if asked), 0 where that falls outside
 * the image; `place` is called once per image, in order, so the random stream is consumed the same way every time.
 */
function remap(images: Tensor, g: Geometry, outH: number, outW: number, place: () => Placement): Tensor {
  const src = images.values();
  const out = new Float32Array(g.n * g.channels * outH * outW);
  for (let i = 0; i < g.n; i++) {
    const { top, left, mirror } = place();
    for (let ch = 0; ch < g.channels; ch++) {
      const plane = i * g.channels + ch;
      for (let r = Math.max(0, -top); r < Math.min(outH, g.h - top); r++) {
        const from = (plane * g.h + r + top) * g.w;
        const to = (plane * outH + r) * outW;
        for (let c = Math.max(0, -left); c < Math.min(outW, g.w - left); c++) out[to + c] = src[from + (mirror ? g.w - 1 - (c + left) : c + left)]!;
      }
    }
  }
  const shape = images.rank === 4 ? [g.n, g.channels, outH, outW] : [g.n, outH, outW];
  return tensor(out, { shape });
}

function wholeNumber(owner: string, name: string, value: unknown, least = 0): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < least) {
    throw new RangeError(`${owner}: ${name} must be a whole number >= ${least}, got ${shown(value)}`);
  }
}

function shown(value: unknown): string {
  return typeof value === 'number' ? String(value) : describeValue(value);
}

function seedOf(owner: string, seed: unknown): number {
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) throw new RangeError(`${owner}: seed must be an integer, got ${shown(seed)}`);
  return seed;
}
