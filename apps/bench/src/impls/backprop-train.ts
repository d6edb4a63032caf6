import { binaryCrossEntropyWithLogits, noGrad, tensor, type Tensor } from '@backprop/autograd';
import type { Prepared, TrainCase, TrainInputs } from '../cases';
import { sink } from '../cases';

/** backprop's training step as a user writes it with @backprop/autograd: y = x W^T + b, tanh, BCE, SGD. */
export function backpropTrain(c: TrainCase, inputs: TrainInputs): Prepared {
  const weights = inputs.weights.map((w, i) => tensor(w, { shape: [c.sizes[i + 1]!, c.sizes[i]!], requiresGrad: true }));
  const biases = inputs.biases.map((b) => tensor(b, { requiresGrad: true }));
  const params = [...weights, ...biases];
  const x = tensor(inputs.x, { shape: [c.batch, c.sizes[0]!] });
  const y = tensor(inputs.y, { shape: [c.batch, 1] });
  const step = (): number => {
    let h: Tensor = x;
    weights.forEach((w, i) => {
      h = h.matmul(w.transpose()).add(biases[i]!);
      if (i < weights.length - 1) h = h.tanh();
    });
    const loss = binaryCrossEntropyWithLogits(h, y);
    loss.backward();
    noGrad(() => {
      for (const p of params) {
        p.sub_(p.grad!, c.lr);
        p.zeroGrad();
      }
    });
    return loss.item();
  };
  step();
  const first = Float32Array.from(params.flatMap((p) => Array.from(p.values())));
  return {
    run: () => {
      sink.value += step();
    },
    output: () => first,
    dispose: () => [...params, x, y].forEach((t) => t.dispose()),
  };
}
