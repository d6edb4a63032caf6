import { describe, expect, it } from 'vitest';
import { toMnist } from './preprocess';

/** A size x size drawing with ink where `inked(y, x)`. */
const drawing = (size: number, inked: (y: number, x: number) => boolean): number[] =>
  Array.from({ length: size * size }, (_, i) => (inked(Math.floor(i / size), i % size) ? 255 : 0));

describe('toMnist', () => {
  it('gives nothing for an empty drawing', () => {
    expect(toMnist(new Array(100).fill(0), 10)).toBeNull();
  });

  it('scales the ink box to 20 pixels and centres its mass, wherever it was drawn', () => {
    // A full square in the corner of a 280 x 280 canvas: 20 x 20 of ink at rows and columns 4..23.
    const image = toMnist(drawing(280, (y, x) => y < 100 && x < 100), 280)!;
    const inked = [...image.keys()].filter((i) => image[i]! > 0);
    expect(inked.length).toBe(400);
    expect(Math.min(...inked.map((i) => Math.floor(i / 28)))).toBe(4);
    expect(Math.max(...inked.map((i) => i % 28))).toBe(23);
    expect(image.every((v) => v >= 0 && v <= 1)).toBe(true);
  });

  it("keeps a thin stroke's shape: a vertical bar stays tall and narrow, in the middle", () => {
    const image = toMnist(drawing(280, (y, x) => y >= 40 && y < 240 && x >= 20 && x < 40), 280)!;
    const rows = new Set([...image.keys()].filter((i) => image[i]! > 0).map((i) => Math.floor(i / 28)));
    const cols = new Set([...image.keys()].filter((i) => image[i]! > 0).map((i) => i % 28));
    expect(rows.size).toBe(20);
    expect(cols.size).toBe(2);
    expect([...cols].every((c) => c >= 13 && c <= 14)).toBe(true);
  });
});
