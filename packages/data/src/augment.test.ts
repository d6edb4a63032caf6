import { tensor, type Tensor } from '@backprop/autograd';
import { describe, expect, it } from 'vitest';
import { compose, gaussianNoise, randomCrop, randomHorizontalFlip, randomShift } from './index';

/** n copies of one 3x3 image with 2 channels: pixel (ch, r, c) = 1 + 9 ch + 3 r + c. */
function copies(n: number): Tensor {
  return tensor(Array.from({ length: n * 18 }, (_, i) => 1 + (i % 18)), { shape: [n, 2, 3, 3] });
}

/** The image shifted so that output (r, c) reads input (r + top, c + left), zeros outside. */
function shifted(top: number, left: number, size = 3): number[] {
  const out: number[] = [];
  for (let ch = 0; ch < 2; ch++) {
    for (let r = 0; r < size; r++) for (let c = 0; c < size; c++) {
      const [sr, sc] = [r + top, c + left];
      out.push(sr >= 0 && sr < 3 && sc >= 0 && sc < 3 ? 1 + 9 * ch + 3 * sr + sc : 0);
    }
  }
  return out;
}

const images = (x: Tensor): number[][] => {
  const per = x.size / x.shape[0]!;
  const v = Array.from(x.values());
  return Array.from({ length: x.shape[0]! }, (_, i) => v.slice(i * per, (i + 1) * per));
};

describe('augmentation transforms', () => {
  it('randomCrop with padding: every image a zero-filled shift within the padding, all shifts used, the same for a seed', () => {
    const crop = randomCrop({ padding: 1, seed: 5 });
    const out = crop(copies(200));
    expect(out.shape).toEqual([200, 2, 3, 3]);
    const offsets = new Set<string>();
    for (const image of images(out)) {
      const found = [-1, 0, 1].flatMap((top) => [-1, 0, 1].map((left) => [top, left])).filter(([top, left]) => shifted(top!, left!).every((v, i) => v === image[i]));
      expect(found.length, 'a shift of the input').toBeGreaterThan(0);
      offsets.add(String(found[0]));
    }
    expect(offsets.size).toBe(9);
    expect(Array.from(randomCrop({ padding: 1, seed: 5 })(copies(200)).values())).toEqual(Array.from(out.values()));
    expect(Array.from(randomCrop({ padding: 1, seed: 6 })(copies(200)).values())).not.toEqual(Array.from(out.values()));
    // The stream goes on: a second batch is cropped differently from the first.
    expect(Array.from(crop(copies(200)).values())).not.toEqual(Array.from(out.values()));
  });

  it('randomCrop to a smaller size cuts a window of the padded image; randomShift keeps the size', () => {
    const out = randomCrop({ size: 2, seed: 1 })(copies(50));
    expect(out.shape).toEqual([50, 2, 2, 2]);
    for (const image of images(out)) {
      expect([0, 1].flatMap((top) => [0, 1].map((left) => shifted(top, left, 2))).some((w) => w.every((v, i) => v === image[i]))).toBe(true);
    }
    const moved = randomShift({ max: 2, seed: 3 })(tensor(Array.from({ length: 40 * 9 }, () => 1), { shape: [40, 3, 3] }));
    expect(moved.shape).toEqual([40, 3, 3]);
    const inked = images(moved).map((image) => image.reduce((s, v) => s + v, 0));
    expect(Math.min(...inked)).toBe(1); // shifted by 2 both ways: one pixel left
    expect(Math.max(...inked)).toBe(9);
  });

  it('randomHorizontalFlip mirrors each image with probability p', () => {
    const mirrored = shifted(0, 0).map((_, i) => {
      const [plane, r, c] = [Math.floor(i / 9), Math.floor((i % 9) / 3), i % 3];
      return 1 + 9 * plane + 3 * r + (2 - c);
    });
    expect(images(randomHorizontalFlip({ p: 1 })(copies(3)))).toEqual([mirrored, mirrored, mirrored]);
    expect(images(randomHorizontalFlip({ p: 0 })(copies(2)))).toEqual([shifted(0, 0), shifted(0, 0)]);
    const half = images(randomHorizontalFlip({ seed: 9 })(copies(400)));
    const flipped = half.filter((image) => image.every((v, i) => v === mirrored[i])).length;
    expect(half.every((image) => image.every((v, i) => v === mirrored[i]) || image.every((v, i) => v === shifted(0, 0)[i]))).toBe(true);
    expect(flipped).toBeGreaterThan(160);
    expect(flipped).toBeLessThan(240);
  });

  it('gaussianNoise adds noise of the given std, the same for a seed; compose chains', () => {
    const zeros = tensor(new Float32Array(20_000), { shape: [5, 4, 1000] });
    const noisy = Array.from(gaussianNoise({ std: 0.3, seed: 2 })(zeros).values());
    const mean = noisy.reduce((s, v) => s + v, 0) / noisy.length;
    const std = Math.sqrt(noisy.reduce((s, v) => s + (v - mean) ** 2, 0) / noisy.length);
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(std - 0.3)).toBeLessThan(0.01);
    expect(Array.from(gaussianNoise({ std: 0.3, seed: 2 })(zeros).values())).toEqual(noisy);
    const both = compose(randomHorizontalFlip({ p: 1 }), randomCrop({ size: 2 }));
    expect(both(copies(1)).shape).toEqual([1, 2, 2, 2]);
  });

  it('names bad input', () => {
    expect(() => randomCrop({ padding: 1 })(tensor([[1, 2, 3, 4]]))).toThrow(
      'randomCrop: expected images [n, c, h, w] or [n, h, w], got [1, 4] (reshape flat images first, e.g. x.reshape([-1, 1, 28, 28]))',
    );
    expect(() => randomCrop({ size: 6, padding: 1 })(copies(1))).toThrow('randomCrop: a 6x6 crop does not fit in 3x3 images padded by 1');
    expect(() => randomCrop({ padding: 1.5 })).toThrow('randomCrop: padding must be a whole number >= 0, got 1.5');
    expect(() => randomCrop({ pad: 1 } as never)).toThrow("randomCrop: unknown option 'pad'");
    expect(() => randomShift({ max: -1 })).toThrow('randomShift: max must be a whole number >= 0, got -1');
    expect(() => randomHorizontalFlip({ p: 2 })).toThrow('randomHorizontalFlip: p must be in [0, 1], got 2');
    expect(() => gaussianNoise({ std: Number.NaN })).toThrow('gaussianNoise: std must be a finite number >= 0, got NaN');
    expect(() => gaussianNoise({ std: 0.1, seed: 'a' as never })).toThrow("gaussianNoise: seed must be a number, got the string 'a'");
    expect(() => gaussianNoise({ std: 0.1, seed: 0.5 })).toThrow('gaussianNoise: seed must be an integer, got 0.5');
    expect(() => randomCrop()(tensor([[[1]]], { dtype: 'int32' }))).toThrow('randomCrop: expected float32 images, got int32');
    expect(() => compose(randomCrop(), 3 as never)).toThrow('compose: transform 1 must be a function, got a number');
  });
});
