import { tensor } from '@backprop/autograd';
import { binaryCrossEntropyWithLogits, crossEntropy, Linear, type Module, ReLU, Sequential, Tanh } from '@backprop/nn';
import { Adam, SGD } from '@backprop/optim';
import type { Prepared, TrainCase, TrainInputs } from '../cases';
import { sink } from '../cases';

/** The step as a backprop user writes it: Sequential of Linear layers, a loss, optim's SGD or Adam. */
export function backpropTrain(c: TrainCase, inputs: TrainInputs): Prepared {
  const layers: Module[] = [];
  c.sizes.slice(1).forEach((out, i) => {
    const linear = new Linear(c.sizes[i]!, out);
    linear.loadStateDict({ weight: tensor(inputs.weights[i]!, { shape: [out, c.sizes[i]!] }), bias: tensor(inputs.biases[i]!) });
    layers.push(linear);
    if (i < c.sizes.length - 2) layers.push(c.activation === 'tanh' ? new Tanh() : new ReLU());
  });
  const model = new Sequential(...layers);
  const x = tensor(inputs.x, { shape: [c.batch, c.sizes[0]!] });
  const y = c.task === 'binary' ? tensor(inputs.y, { shape: [c.batch, 1] }) : tensor(Int32Array.from(inputs.y), { dtype: 'int32' });
  const optimizer = c.optimizer === 'sgd' ? new SGD(model.parameters(), { lr: c.lr }) : new Adam(model.parameters(), { lr: c.lr });
  const step = (): number => {
    optimizer.zeroGrad();
    const output = model.forward(x);
    const loss = c.task === 'binary' ? binaryCrossEntropyWithLogits(output, y) : crossEntropy(output, y);
    loss.backward();
    optimizer.step();
    return loss.item();
  };
  const first = Float32Array.from([step(), step(), step()]);
  return {
    run: () => {
      sink.value += step();
    },
    output: () => first,
    dispose: () => [...model.parameters(), x, y].forEach((t) => t.dispose()),
  };
}
