// Every package's published types, compiled under a Node-only configuration (no DOM library).
import { kernels, type Heap } from '@backprop/kernels';
import { tensor, type Tensor } from '@backprop/autograd';
import { Linear, Sequential } from '@backprop/nn';
import { Adam } from '@backprop/optim';
import { iris } from '@backprop/data';
import { deepMlp } from '@backprop/zoo';

const heap: Heap = kernels.heap;
const x: Tensor = tensor([[1, 2]]);
const model = new Sequential(new Linear(2, 1));
export const used = [heap.stats(), model.forward(x), new Adam(model.parameters()), iris, deepMlp];
