import { describe, expect, it } from 'vitest';
import { exportGraph, named, tensor, toDot } from './index';

describe('graph export for the backprop explorer', () => {
  it('f = (x + y) * z at (-2, 5, -4): every node with its value and gradient, as JSON and DOT', () => {
    const x = named(tensor(-2, { requiresGrad: true }), 'x');
    const y = named(tensor(5, { requiresGrad: true }), 'y');
    const z = named(tensor(-4, { requiresGrad: true }), 'z');
    const f = x.add(y).mul(z);
    const graph = exportGraph(f, { backward: true });
    const byName = Object.fromEntries(graph.nodes.map((n) => [n.name ?? n.op, n]));
    expect(graph.nodes[graph.root]!.value).toEqual([-12]);
    expect(graph.nodes[graph.root]!.grad).toEqual([1]);
    expect([byName.x!.grad, byName.y!.grad, byName.z!.grad]).toEqual([[-4], [-4], [3]]);
    expect(byName.add).toMatchObject({ value: [3], grad: [-4], inputs: [byName.x!.id, byName.y!.id] });
    expect(byName.mul!.inputs).toEqual([byName.add!.id, byName.z!.id]);
    expect(x.grad!.item()).toBe(-4); // the export ran a real backward
    const dot = toDot(graph);
    expect(dot).toContain('label="{x (input) | value -2 | grad -4}"');
    expect(dot).toContain('label="{mul | value -12 | grad 1}", style=bold');
    expect(dot.match(/->/g)).toHaveLength(4);
  });

  it('without backward, shows leaves\' gradients only', () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const loss = w.square().sum();
    const graph = exportGraph(loss);
    expect(graph.nodes.map((n) => [n.op, n.grad])).toEqual([['input', null], ['square', null], ['sum', null]]);
  });
});
