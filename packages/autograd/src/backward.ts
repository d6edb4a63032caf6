// Reverse mode: order the graph's nodes topologically from the root, then walk them backwards, each node
// turning its output's gradient into its inputs' gradients. Gradients accumulate into leaves' .grad (as in
// PyTorch); intermediate gradients are freed as soon as they are consumed, and unless retainGraph each node
// releases what it saved once it has run.
import { context, noGrad } from './context';
import { ShapeError } from './errors';
import { scope } from './lifetime';
import type { Node } from './node';
import { formatShape, sameShape } from './shape';
import { checkFinite, Tensor, type NestedArray } from './tensor';
import { gather } from './ops/internal/copy';
import { tensorOn } from './creation';

export interface BackwardOptions {
  /** Keep the graph so backward can run through it again (PyTorch's retain_graph). */
  retainGraph?: boolean;
  /** Called with each node's total gradient before it is consumed (used by exportGraph). */
  onGradient?: (node: Node, gradient: Tensor) => void;
}

/** Nodes reachable from the root, every node after the nodes it feeds (the reverse of execution order). */
function topologicalOrder(root: Node): Node[] {
  const order: Node[] = [];
  const seen = new Set<Node>([root]);
  const stack: [Node, number][] = [[root, 0]];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const [node, next] = top;
    if (next < node.next.length) {
      top[1]++;
      const input = node.next[next];
      if (input && !seen.has(input)) {
        seen.add(input);
        stack.push([input, 0]);
      }
    } else {
      stack.pop();
      order.push(node);
    }
  }
  return order;
}

function seedGradient(root: Tensor, gradient: Tensor | NestedArray | undefined): Tensor {
  if (gradient === undefined) {
    if (root.size !== 1) {
      throw new ShapeError(`backward(): the tensor has shape ${formatShape(root.shape)}; only a one-element tensor can start backward without a gradient argument (pass one of shape ${formatShape(root.shape)})`);
    }
    return tensorOn(root.backend, 1, { shape: root.shape });
  }
  if (!(gradient instanceof Tensor)) return checkSeed(tensorOn(root.backend, gradient, {}), root);
  // The engine accumulates in place into the gradients it owns: never into the caller's tensor.
  checkSeed(gradient.live('backward'), root);
  return gather(gradient);
}

function checkSeed(g: Tensor, root: Tensor): Tensor {
  if (!sameShape(g.shape, root.shape)) {
    throw new ShapeError(`backward(): the gradient has shape ${formatShape(g.shape)} but the tensor has shape ${formatShape(root.shape)}`);
  }
  if (g.dtype !== 'float32' || g.backend !== root.backend) throw new Error('backward(): the gradient must be a float32 tensor on the same backend as the tensor');
  return g;
}

/** Before anything runs: every node must still hold what it saved, unchanged. */
function checkRunnable(order: readonly Node[]): void {
  for (const node of order) {
    if (node.leaf) continue;
    if (node.released) {
      throw new Error(`backward(): the graph through '${node.op}' was already released by an earlier backward(); pass { retainGraph: true } to that call to backpropagate twice`);
    }
    node.checkSaved();
  }
}

export function backward(root: Tensor, gradient: Tensor | NestedArray | undefined, { retainGraph = false, onGradient }: BackwardOptions): void {
  root.live('backward');
  const rootNode = root.gradEdge();
  if (!rootNode) {
    throw new Error('backward(): this tensor does not require grad: no input of the computation had requiresGrad: true (or it ran inside noGrad)');
  }
  const order = topologicalOrder(rootNode);
  checkRunnable(order);
  const grads = new Map<Node, Tensor>([[rootNode, seedGradient(root, gradient)]]);
  noGrad(() => {
    for (let i = order.length - 1; i >= 0; i--) {
      const node = order[i]!;
      const g = grads.get(node);
      if (!g) continue;
      grads.delete(node);
      onGradient?.(node, g);
      if (node.leaf) {
        accumulate(node.leaf, g);
        continue;
      }
      const step = node.backward!;
      const inputGrads = scope(() => step(g));
      const next = node.next;
      if (!retainGraph) node.release();
      // A backward may pass its upstream gradient straight through, even to two inputs: each input must
      // own its gradient, since accumulation writes in place. What no input kept is freed.
      const stored: Tensor[] = [];
      next.forEach((input, k) => {
        let gi = inputGrads[k];
        if (!gi || !input) return;
        // Accumulation writes in place, row-major: a view (a permuted gradient, say) is copied.
        if (stored.includes(gi) || !gi.isContiguous) gi = gather(gi);
        if (context.anomaly) checkFinite(gi, `the backward of op '${node.op}'`);
        const pending = grads.get(input);
        if (pending) pending.backend.axpby(pending.size, 1, pending, 1, gi, pending);
        else {
          grads.set(input, gi);
          stored.push(gi);
        }
      });
      if (!stored.includes(g)) g.dispose();
      for (const gi of inputGrads) if (gi && !stored.includes(gi) && !gi.isReleased) gi.dispose();
    }
  });
}

/** Adds g into a leaf's .grad (taking g itself the first time, unless something else holds it). */
function accumulate(leaf: Tensor, g: Tensor): void {
  if (leaf.grad === null) {
    leaf.grad = (g.kept ? gather(g) : g).keep();
  } else {
    leaf.backend.axpby(g.size, 1, leaf.grad, 1, g, leaf.grad);
    g.dispose();
  }
}
