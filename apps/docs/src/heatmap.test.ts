import { describe, expect, it } from 'vitest';
import { normalise, palette } from './heatmap';

describe('heatmap palette', () => {
  it('runs orange -> white -> blue and clamps', () => {
    expect(palette(0)).toEqual([245, 147, 34]);
    expect(palette(0.5)).toEqual([232, 234, 235]);
    expect(palette(1)).toEqual([8, 119, 189]);
    expect(palette(-3)).toEqual(palette(0));
    expect(palette(Number.NaN)).toEqual(palette(0.5));
    expect(palette(0.75)).toEqual([120, 177, 212]);
  });

  it('normalises signed outputs by their largest magnitude', () => {
    expect(Array.from(normalise(Float32Array.of(-2, 0, 1), 'signed'))).toEqual([0, 0.5, 0.75]);
    expect(Array.from(normalise(Float32Array.of(0.2), 'probability'))).toEqual([Math.fround(0.2)]);
  });
});
