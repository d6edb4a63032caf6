import { describe, expect, it } from 'vitest';
import { ExpressionError, differentiate, parse, variables } from './expression';

const gradOf = (graph: ReturnType<typeof differentiate>, name: string): number =>
  graph.nodes.find((n) => n.name === name)!.grad![0]!;

describe('the backprop explorer\'s expressions', () => {
  it('computes the lecture\'s (x + y) * z at (-2, 5, -4): f = -12, grads -4, -4, 3', () => {
    const graph = differentiate(parse('(x + y) * z'), { x: -2, y: 5, z: -4 });
    const root = graph.nodes[graph.root]!;
    expect(root.op).toBe('mul');
    expect(root.value[0]).toBe(-12);
    expect([gradOf(graph, 'x'), gradOf(graph, 'y'), gradOf(graph, 'z')]).toEqual([-4, -4, 3]);
    // The intermediate q = x + y carries d f / d q = z.
    const q = graph.nodes.find((n) => n.op === 'add')!;
    expect(q.value[0]).toBe(3);
    expect(q.grad![0]).toBe(-4);
  });

  it('computes the sigmoid neuron of the lecture (w = [2, -3, -3], x = [-1, -2])', () => {
    const expr = parse('1 / (1 + exp(-(w0*x0 + w1*x1 + w2)))');
    expect(variables(expr)).toEqual(['w0', 'x0', 'w1', 'x1', 'w2']);
    const graph = differentiate(expr, { w0: 2, x0: -1, w1: -3, x1: -2, w2: -3 });
    const f = 1 / (1 + Math.exp(-1));
    expect(graph.nodes[graph.root]!.value[0]).toBeCloseTo(f, 6);
    const local = f * (1 - f); // 0.1966
    expect(gradOf(graph, 'w0')).toBeCloseTo(-1 * local, 5);
    expect(gradOf(graph, 'x0')).toBeCloseTo(2 * local, 5);
    expect(gradOf(graph, 'w1')).toBeCloseTo(-2 * local, 5);
    expect(gradOf(graph, 'x1')).toBeCloseTo(-3 * local, 5);
    expect(gradOf(graph, 'w2')).toBeCloseTo(local, 5);
  });

  it('follows precedence and associativity: 2 + 3 * x ^ 2 - 1 - 1, and -x^2 is -(x^2)', () => {
    expect(differentiate(parse('2 + 3 * x ^ 2 - 1 - 1'), { x: 2 }).nodes.at(-1)!.value[0]).toBe(12);
    const g = differentiate(parse('-x^2'), { x: 3 });
    expect(g.nodes[g.root]!.value[0]).toBe(-9);
    expect(gradOf(g, 'x')).toBe(-6);
    expect(differentiate(parse('x / 4 / 2'), { x: 16 }).nodes.at(-1)!.value[0]).toBe(2);
  });

  it('accumulates the gradient of a variable used twice (x * x)', () => {
    expect(gradOf(differentiate(parse('x * x + x'), { x: 3 }), 'x')).toBe(7);
  });

  it('reports what is wrong and where', () => {
    const message = (source: string): string => {
      try {
        parse(source);
      } catch (e) {
        expect(e).toBeInstanceOf(ExpressionError);
        return (e as Error).message;
      }
      throw new Error(`${source} parsed`);
    };
    expect(message('')).toBe('the expression is empty (column 1)');
    expect(message('(x + y')).toBe("expected ')' at the end (column 7)");
    expect(message('x + * y')).toBe("unexpected '*' (column 5)");
    expect(message('foo(x)')).toMatch(/^unknown function 'foo' \(neg, exp, log/);
    expect(message('x $ y')).toBe("unexpected '$' (column 3)");
    expect(message('x ^ y')).toBe('the exponent must be a number (column 5)');
    expect(message('x y')).toBe("unexpected 'y' (column 3)");
    expect(() => differentiate(parse('x + y'), { x: 1 })).toThrow('y needs a finite value');
    expect(() => differentiate(parse('x'), { x: Number.NaN })).toThrow('x needs a finite value');
  });

  it('draws a constant expression without gradients', () => {
    const g = differentiate(parse('2 * 3'), {});
    expect(g.nodes[g.root]!.value[0]).toBe(6);
    expect(g.nodes.every((n) => n.grad === null)).toBe(true);
  });
});
