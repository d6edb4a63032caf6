import { describe, expect, it } from 'vitest';
import { arange, firstOutside, FLOAT32_MAX, memory, tensor } from './index';

describe('firstOutside', () => {
  it('finds the first value outside a range, NaN included, in row-major order of any view', () => {
    const x = tensor([[0, 0.5, 1], [2, -1, Number.NaN]]);
    expect(firstOutside(x, 0, 1)).toBe(3);
    expect(firstOutside(x, -1, 2)).toBe(5);
    expect(firstOutside(x.transpose(), 0, 1)).toBe(1); // [[0, 2], [0.5, -1], [1, NaN]]: 2 comes second
    expect(firstOutside(x.narrow(0, 0, 1), 0, 1)).toBe(-1);
  });

  it('with the float32 limits, finds the first NaN or infinity and nothing else', () => {
    expect(firstOutside(tensor([FLOAT32_MAX, -FLOAT32_MAX, 0]), -FLOAT32_MAX, FLOAT32_MAX)).toBe(-1);
    expect(firstOutside(tensor([1, 2, Number.NEGATIVE_INFINITY]), -FLOAT32_MAX, FLOAT32_MAX)).toBe(2);
    // 257 values: past the kernel's vector lanes.
    const long = arange(257).float();
    expect(firstOutside(long, 0, 256)).toBe(-1);
    expect(firstOutside(long, 0, 255)).toBe(256);
  });

  it('leaves no copy behind, and refuses int32', () => {
    const x = tensor([[1, 2], [3, 4]]).transpose();
    const before = memory().liveTensors;
    firstOutside(x, 0, 3);
    expect(memory().liveTensors).toBe(before);
    expect(() => firstOutside(tensor([1], { dtype: 'int32' }), 0, 1)).toThrow('firstOutside: expected a float32 tensor, got int32');
  });
});
