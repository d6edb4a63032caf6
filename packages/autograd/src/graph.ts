// The computation graph as data, for teaching: nodes with their op, inputs, shape, forward value and
// gradient, as JSON (the docs' backprop explorer renders it) or as Graphviz DOT.
import type { Node } from './node';
import type { Tensor } from './tensor';

export interface GraphNode {
  id: number;
  /** The op that produced the tensor; 'input' for leaves. */
  op: string;
  /** The tensor's name, if it was given one (tensor.name = 'x'). */
  name?: string;
  inputs: number[];
  shape: number[];
  value: number[];
  /** d root / d this tensor; null when it was not computed. */
  grad: number[] | null;
  params?: Record<string, unknown>;
}

export interface GraphJSON {
  root: number;
  nodes: GraphNode[];
}

const names = new WeakMap<Tensor, string>();

/** Names a tensor for graph exports (x, w0, ...). Returns the tensor. */
export function named(t: Tensor, name: string): Tensor {
  names.set(t, name);
  return t;
}

/**
 * The graph that computed `root`. With { backward: true } it also runs root.backward() and records every
 * node's gradient (intermediate ones included); otherwise only leaves' .grad are shown.
 */
export function exportGraph(root: Tensor, { backward = false }: { backward?: boolean } = {}): GraphJSON {
  const ids = new Map<Tensor, number>();
  const order: Tensor[] = [];
  const visit = (t: Tensor): void => {
    if (ids.has(t)) return;
    for (const input of t.node?.inputs ?? []) visit(input);
    ids.set(t, order.length);
    order.push(t);
  };
  visit(root);
  const gradients = new Map<Tensor, number[]>();
  if (backward) {
    const tensorOf = new Map<Node, Tensor>();
    for (const t of order) {
      const node = t.gradEdge();
      if (node) tensorOf.set(node, t);
    }
    root.backward(undefined, { retainGraph: true, onGradient: (node, g) => gradients.set(tensorOf.get(node)!, Array.from(g.values())) });
  }
  const nodes = order.map((t, id): GraphNode => {
    const name = names.get(t);
    const grad = gradients.get(t) ?? (t.grad ? Array.from(t.grad.values()) : null);
    return {
      id,
      op: t.node?.op ?? 'input',
      ...(name ? { name } : {}),
      inputs: (t.node?.inputs ?? []).map((input) => ids.get(input)!),
      shape: [...t.shape],
      value: Array.from(t.values()),
      grad,
      ...(t.node?.params ? { params: { ...t.node.params } } : {}),
    };
  });
  return { root: ids.get(root)!, nodes };
}

function show(values: number[] | null): string {
  if (values === null) return '-';
  const shown = values.slice(0, 4).map((v) => Number(v.toPrecision(4)));
  return values.length === 1 ? String(shown[0]) : `[${shown.join(', ')}${values.length > 4 ? ', ...' : ''}]`;
}

/** Graphviz DOT of an exported graph: one box per tensor with its value and gradient, edges input -> op. */
export function toDot(graph: GraphJSON): string {
  const lines = ['digraph backprop {', '  rankdir=LR;', '  node [shape=record, fontname="Helvetica"];'];
  for (const n of graph.nodes) {
    const title = n.name ? `${n.name} (${n.op})` : n.op;
    lines.push(`  n${n.id} [label="{${title} | value ${show(n.value)} | grad ${show(n.grad)}}"${n.id === graph.root ? ', style=bold' : ''}];`);
    for (const input of n.inputs) lines.push(`  n${input} -> n${n.id};`);
  }
  lines.push('}');
  return lines.join('\n');
}
