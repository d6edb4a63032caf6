import { describe, expect, it } from 'vitest';
import { differentiate, parse } from './expression';
import { formatNumber, layoutGraph } from './layout';

describe('explorer layout', () => {
  it('places (x + y) * z in three columns, leaves beside their first use', () => {
    const layout = layoutGraph(differentiate(parse('(x + y) * z'), { x: -2, y: 5, z: -4 }));
    const at = Object.fromEntries(layout.nodes.map((n) => [n.label, [n.column, n.row, n.kind]]));
    expect(at).toEqual({ x: [0, 0, 'variable'], y: [0, 1, 'variable'], '+': [1, 0, 'op'], z: [1, 1, 'variable'], '×': [2, 0, 'op'] });
    expect(layout.edges).toEqual([{ from: 0, to: 2 }, { from: 1, to: 2 }, { from: 2, to: 4 }, { from: 3, to: 4 }]);
    expect([layout.columns, layout.rows]).toEqual([3, 2]);
  });

  it('labels constants, powers and functions', () => {
    const layout = layoutGraph(differentiate(parse('1 / (1 + exp(-x^2))'), { x: 1 }));
    expect(layout.nodes.map((n) => n.label)).toEqual(['1', '1', 'x', 'pow 2', 'negate', 'exp', '+', '÷']);
    expect(layout.nodes.filter((n) => n.kind === 'constant')).toHaveLength(2);
  });

  it('formats numbers to 4 significant digits', () => {
    expect([formatNumber(-12), formatNumber(0.19661193), formatNumber(-0), formatNumber(null), formatNumber(123456)]).toEqual(['-12', '0.1966', '0', '–', '123500']);
  });
});
