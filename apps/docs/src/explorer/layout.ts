// Placing an exported graph on a grid for drawing: left to right in the order the values are computed, each
// leaf in the column just before the first op that uses it.
import { type GraphJSON } from '@backprop/autograd';

export interface PlacedNode {
  id: number;
  column: number;
  row: number;
  label: string;
  kind: 'variable' | 'constant' | 'op';
  value: number;
  grad: number | null;
}

export interface Layout {
  nodes: PlacedNode[];
  edges: { from: number; to: number }[];
  columns: number;
  rows: number;
}

const symbols: Record<string, string> = { add: '+', sub: '−', mul: '×', div: '÷', neg: 'negate', pow: 'pow' };

export function layoutGraph(graph: GraphJSON): Layout {
  const depth = new Array<number>(graph.nodes.length).fill(0);
  for (const n of graph.nodes) if (n.inputs.length) depth[n.id] = 1 + Math.max(...n.inputs.map((i) => depth[i]!));
  for (const n of graph.nodes) {
    if (n.inputs.length) continue;
    const users = graph.nodes.filter((m) => m.inputs.includes(n.id)).map((m) => depth[m.id]!);
    depth[n.id] = users.length ? Math.min(...users) - 1 : 0;
  }
  const rowsUsed = new Map<number, number>();
  const nodes = graph.nodes.map((n): PlacedNode => {
    const column = depth[n.id]!;
    const row = rowsUsed.get(column) ?? 0;
    rowsUsed.set(column, row + 1);
    const leaf = n.inputs.length === 0;
    const exponent = n.op === 'pow' && typeof n.params?.exponent === 'number' ? ` ${n.params.exponent}` : '';
    return {
      id: n.id,
      column,
      row,
      label: leaf ? (n.name ?? String(n.value[0])) : `${symbols[n.op] ?? n.op}${exponent}`,
      kind: leaf ? (n.grad === null && n.name === String(n.value[0]) ? 'constant' : 'variable') : 'op',
      value: n.value[0]!,
      grad: n.grad?.[0] ?? null,
    };
  });
  return {
    nodes,
    edges: graph.nodes.flatMap((n) => n.inputs.map((from) => ({ from, to: n.id }))),
    columns: Math.max(...depth) + 1,
    rows: Math.max(...rowsUsed.values()),
  };
}

/** A number as the explorer shows it: at most 4 significant digits, no trailing zeros, no -0. */
export function formatNumber(v: number | null): string {
  if (v === null) return '–';
  if (Object.is(v, -0) || v === 0) return '0';
  return String(Number(v.toPrecision(4)));
}
