// Reverse mode: order the graph topologically from the root, then walk it backwards, each node turning its
// output's gradient into its inputs' gradients. Gradients accumulate into leaves' .grad (as in PyTorch);
// intermediate gradients are freed as soon as they are consumed, and the graph is released afterwards
// unless retainGraph. The end of backward() ends the training step (see lifetime.ts).
import { context, noGrad } from './context';
import { ShapeError } from './errors';
import { endStep, scope } from './lifetime';
import { formatShape, sameShape } from './shape';
import { allocate, checkFinite, Tensor, type NestedArray } from './tensor';
import { tensorOn } from './creation';

export interface BackwardOptions {
  /** Keep the graph so backward can run through it again (PyTorch's retain_graph). */
  retainGraph?: boolean;
  /** Called with each tensor's total gradient before it is consumed (used by exportGraph). */
  onGradient?: (t: Tensor, gradient: Tensor) => void;
}

/** Tensors that need a gradient, every input before the tensors computed from it. */
function topologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>([root]);
  const stack: [Tensor, number][] = [[root, 0]];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const [t, next] = top;
    const inputs = t.node?.inputs ?? [];
    if (next < inputs.length) {
      top[1]++;
      const input = inputs[next]!;
      if (input.requiresGrad && !seen.has(input)) {
        seen.add(input);
        stack.push([input, 0]);
      }
    } else {
      stack.pop();
      order.push(t);
    }
  }
  return order;
}

function seedGradient(root: Tensor, gradient: Tensor | NestedArray | undefined): Tensor {
  if (gradient === undefined) {
    if (root.size !== 1) {
      throw new ShapeError(`backward(): the tensor has shape ${formatShape(root.shape)}; only a one-element tensor can start backward without a gradient argument (pass one of shape ${formatShape(root.shape)})`);
    }
    return tensorOn(root.backend, 1, { shape: root.shape }, true);
  }
  if (!(gradient instanceof Tensor)) return checkSeed(tensorOn(root.backend, gradient, {}, true), root);
  // The engine accumulates in place into the gradients it owns: never into the caller's tensor.
  checkSeed(gradient.live('backward'), root);
  return copyOf(gradient);
}

function checkSeed(g: Tensor, root: Tensor): Tensor {
  if (!sameShape(g.shape, root.shape)) {
    throw new ShapeError(`backward(): the gradient has shape ${formatShape(g.shape)} but the tensor has shape ${formatShape(root.shape)}`);
  }
  if (g.dtype !== 'float32' || g.backend !== root.backend) throw new Error('backward(): the gradient must be a float32 tensor on the same backend as the tensor');
  return g;
}

/** A fresh copy of t, owned by the current step. */
function copyOf(t: Tensor): Tensor {
  const out = allocate(t.backend, t.shape, t.dtype, true);
  t.backend.copy(t, out, t.size);
  return out;
}

export function backward(root: Tensor, gradient: Tensor | NestedArray | undefined, { retainGraph = false, onGradient }: BackwardOptions): void {
  root.live('backward');
  if (!root.requiresGrad) {
    throw new Error('backward(): this tensor does not require grad: no input of the computation had requiresGrad: true (or it ran inside noGrad)');
  }
  const seed = seedGradient(root, gradient);
  const grads = new Map<Tensor, Tensor>([[root, seed]]);
  const order = topologicalOrder(root);
  noGrad(() => {
    for (let i = order.length - 1; i >= 0; i--) {
      const t = order[i]!;
      const g = grads.get(t);
      if (!g) continue;
      grads.delete(t);
      onGradient?.(t, g);
      const node = t.node;
      if (!node) {
        accumulate(t, g);
        continue;
      }
      if (!node.backward) {
        throw new Error(`backward(): the graph through '${node.op}' was already released by an earlier backward(); pass { retainGraph: true } to that call to backpropagate twice`);
      }
      const step = node.backward;
      const inputGrads = scope(() => step(g));
      if (!retainGraph) node.backward = null;
      // A backward may pass its upstream gradient straight through, even to two inputs: each input must
      // own its gradient, since accumulation writes in place.
      const owned = new Set<Tensor>();
      node.inputs.forEach((input, k) => {
        let gi = inputGrads[k];
        if (!gi) return;
        if (owned.has(gi)) gi = copyOf(gi);
        owned.add(gi);
        if (!input.requiresGrad) {
          gi.dispose();
          return;
        }
        if (context.anomaly) checkFinite(gi, `the backward of op '${node.op}'`);
        const pending = grads.get(input);
        if (pending) {
          input.backend.axpby(pending.size, 1, pending, 1, gi, pending);
          gi.dispose();
        } else grads.set(input, gi);
      });
      if (!owned.has(g)) g.dispose();
    }
  });
  endStep();
}

/** Adds g into a leaf's .grad (taking g itself the first time). */
function accumulate(leaf: Tensor, g: Tensor): void {
  if (leaf.grad === null) {
    leaf.grad = g.kept ? g.detach() : g.keep();
  } else {
    leaf.backend.axpby(g.size, 1, leaf.grad, 1, g, leaf.grad);
    g.dispose();
  }
}

