import { permutation, tensor } from '@backprop/autograd';
import { describe, expect, it } from 'vitest';
import { DataLoader } from '../index';

describe('DataLoader', () => {
  const data = { x: tensor(Array.from({ length: 10 }, (_, i) => [i, -i])), y: tensor(Array.from({ length: 10 }, (_, i) => i), { dtype: 'int32' }) };
  const rows = (loader: DataLoader): number[][] => [...loader].map(([, y]) => Array.from(y.values()));

  it('batches in order, or shuffled each epoch as permutation(n, seed * 100003 + epoch), with dropLast', () => {
    expect(rows(new DataLoader(data, { batchSize: 4 }))).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
    expect(new DataLoader(data, { batchSize: 4, dropLast: true }).length).toBe(2);
    expect(rows(new DataLoader(data, { batchSize: 4, dropLast: true }))).toEqual([[0, 1, 2, 3], [4, 5, 6, 7]]);
    const loader = new DataLoader(data, { batchSize: 4, shuffle: true, seed: 3 });
    const [first, second] = [rows(loader).flat(), rows(loader).flat()];
    expect(first).toEqual(permutation(10, 3 * 100003 + 1));
    expect(second).toEqual(permutation(10, 3 * 100003 + 2));
    expect(second).not.toEqual(first);
    expect(rows(new DataLoader(data, { batchSize: 4, shuffle: true, seed: 3 })).flat()).toEqual(first);
    const [x, y] = [...new DataLoader(data, { batchSize: 4, shuffle: true, seed: 3 })][0]!;
    expect(Array.from(x.values())).toEqual(Array.from(y.values()).flatMap((i) => [i, -i]));
  });

  it('names bad input', () => {
    expect(() => new DataLoader(data, { batchSize: 0 })).toThrow('DataLoader: batchSize must be a positive integer, got 0');
    expect(() => new DataLoader(data, { batchSize: '4' as never })).toThrow("DataLoader: batchSize must be a number, got the string '4'");
    expect(() => new DataLoader(data, { shufle: true } as never)).toThrow("DataLoader: unknown option 'shufle'");
    expect(() => new DataLoader({ x: [[1]], y: [1] } as never)).toThrow('DataLoader: data must be { x, y } with two tensors, got an object (Object)');
    expect(() => new DataLoader({ x: data.x, y: data.y.slice(0, 3) })).toThrow('DataLoader: x and y must have the same number of samples on their first axis, got [10, 2] and [3]');
  });
});

describe('DataLoader transform', () => {
  it("applies to each batch's x, the labels untouched", () => {
    const data = { x: tensor([[1, 2], [3, 4], [5, 6]]), y: tensor([0, 1, 2], { dtype: 'int32' }) };
    const batches = [...new DataLoader(data, { batchSize: 2, transform: (x) => x.mul(10) })];
    expect(batches.map(([x]) => x.toArray())).toEqual([[[10, 20], [30, 40]], [[50, 60]]]);
    expect(batches.map(([, y]) => Array.from(y.values()))).toEqual([[0, 1], [2]]);
    expect(() => new DataLoader(data, { transform: 'flip' as never })).toThrow("DataLoader: transform must be a function, got the string 'flip'");
  });
});
