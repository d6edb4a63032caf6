import { tensor } from '@backprop/autograd';
import {
  binaryCrossEntropyWithLogits, Conv2d, crossEntropy, Flatten, Linear, MaxPool2d, type Module, ReLU, Sequential, Tanh,
} from '@backprop/nn';
import { Adam, SGD } from '@backprop/optim';
import type { Prepared, TrainCase, TrainInputs } from '../cases';
import { lenetLayers, sink } from '../cases';

/** Linear layers of c.sizes with c.activation between them, loaded with the shared weights. */
function mlp(c: TrainCase, inputs: TrainInputs): Module[] {
  const layers: Module[] = [];
  c.sizes.slice(1).forEach((out, i) => {
    const linear = new Linear(c.sizes[i]!, out);
    linear.loadStateDict({ weight: tensor(inputs.weights[i]!, { shape: [out, c.sizes[i]!] }), bias: tensor(inputs.biases[i]!) });
    layers.push(linear);
    if (i < c.sizes.length - 2) layers.push(c.activation === 'tanh' ? new Tanh() : new ReLU());
  });
  return layers;
}

/** The zoo LeNet, loaded with the shared weights. */
function lenet(inputs: TrainInputs): Module[] {
  const layers: Module[] = [];
  lenetLayers.forEach((l, i) => {
    const layer = l.kind === 'conv' ? new Conv2d(l.in, l.out, l.k, { padding: l.padding }) : new Linear(l.in, l.out);
    const shape = l.kind === 'conv' ? [l.out, l.in, l.k, l.k] : [l.out, l.in];
    layer.loadStateDict({ weight: tensor(inputs.weights[i]!, { shape }), bias: tensor(inputs.biases[i]!) });
    if (i === 2) layers.push(new Flatten());
    layers.push(layer);
    if (l.kind === 'conv') layers.push(new ReLU(), new MaxPool2d(2));
    else if (i < lenetLayers.length - 1) layers.push(new ReLU());
  });
  return layers;
}

/** The step as a backprop user writes it: a Sequential model, a loss, optim's SGD or Adam. */
export function backpropTrain(c: TrainCase, inputs: TrainInputs): Prepared {
  const model = new Sequential(...(c.model === 'lenet' ? lenet(inputs) : mlp(c, inputs)));
  const x = tensor(inputs.x, { shape: c.model === 'lenet' ? [c.batch, 1, 28, 28] : [c.batch, c.sizes[0]!] });
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
