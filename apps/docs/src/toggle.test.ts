import { describe, expect, it } from 'vitest';
import { toggled } from './toggle';

describe('toggled', () => {
  it('removes a present item and inserts a missing one in canonical order', () => {
    const all = ['a', 'b', 'c', 'd'];
    expect(toggled(['a', 'c'], 'c', all)).toEqual(['a']);
    expect(toggled(['c', 'a'], 'b', all)).toEqual(['a', 'b', 'c']);
    expect(toggled([], 'd', all)).toEqual(['d']);
  });
});
