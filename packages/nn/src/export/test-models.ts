// Models of every exportable layer kind, shared by the ONNX and PyTorch export tests.
import { noGrad, rand, randn, tensor, type Tensor } from '@backprop/autograd';
import {
  AdaptiveAvgPool2d, AvgPool2d, BatchNorm1d, BatchNorm2d, Conv2d, Dropout, ELU, Embedding, Flatten, LayerNorm, LeakyReLU, Linear, MaxPool2d, type Module,
  PReLU, ReLU, Sequential, Sigmoid, Softplus, Standardize, Tanh,
} from '../index';

export interface ExportCase {
  name: string;
  make: () => Module;
  /** One sample's shape (the batch dimension comes first). */
  sample: number[];
  input?: (shape: number[]) => Tensor;
}

export const exportCases: ExportCase[] = [
  {
    name: 'linear and every activation',
    make: () => new Sequential(
      new Linear(7, 9), new ReLU(), new Linear(9, 9), new Sigmoid(), new Linear(9, 9), new Tanh(), new Linear(9, 9), new LeakyReLU(0.2),
      new Linear(9, 9), new ELU(0.7), new Linear(9, 9), new Softplus(), new Linear(9, 9), new PReLU({ numParameters: 9 }), new Linear(9, 3, { bias: false }), new PReLU(),
    ),
    sample: [7],
  },
  { name: 'standardize, dropout and batchnorm1d', make: () => new Sequential(new Standardize(5), new Linear(5, 6), new BatchNorm1d(6), new Dropout(0.5), new ReLU(), new Linear(6, 2)), sample: [5] },
  { name: 'batchnorm1d without affine, cumulative momentum', make: () => new Sequential(new Linear(4, 6), new BatchNorm1d(6, { affine: false, momentum: null })), sample: [4] },
  {
    name: 'conv, pools, batchnorm2d, prelu per channel',
    make: () => new Sequential(
      new Conv2d(3, 8, 3, { padding: 1, stride: 2 }), new BatchNorm2d(8, { momentum: 0.3, eps: 1e-3 }), new PReLU({ numParameters: 8 }), new MaxPool2d(2, { padding: 1 }),
      new Conv2d(8, 8, 3, { groups: 8, dilation: 2, padding: 2 }), new Conv2d(8, 4, 1, { bias: false }), new AvgPool2d(2, { countIncludePad: false, padding: 1 }),
      new Flatten(), new Linear(4 * 3 * 3, 5),
    ),
    sample: [3, 17, 17],
  },
  {
    name: "convolutions padded 'same' (even windows: the odd row and column at the bottom and right) and 'valid'",
    make: () => new Sequential(
      new Conv2d(2, 4, 4, { padding: 'same' }), new ReLU(), new Conv2d(4, 3, [2, 3], { padding: 'same', dilation: [2, 1] }), new Conv2d(3, 3, 3, { padding: 'valid' }),
    ),
    sample: [2, 7, 8],
  },
  { name: 'avg pool counting padding, max pool with dilation and stride', make: () => new Sequential(new AvgPool2d(3, { stride: 2, padding: 1 }), new MaxPool2d(2, { dilation: 2, stride: 1 })), sample: [2, 9, 9] },
  {
    // 12 -> 4 (ONNX's ceil_mode would keep a fifth window, starting at 12: floor mode), 4 -> 3 (padding counted),
    // 3 -> 2 (past the edge: ceil_mode), then a Linear whose weight fixes the size.
    name: 'pools in ceil mode: last windows past the bottom and right edges, or dropped',
    make: () => new Sequential(
      new MaxPool2d(2, { stride: 3, ceilMode: true }), new AvgPool2d(3, { stride: 2, padding: 1, ceilMode: true }), new AvgPool2d(2, { countIncludePad: false, ceilMode: true }),
      new Flatten(), new Linear(2 * 2 * 2, 3),
    ),
    sample: [2, 12, 12],
  },
  {
    // 6x4 -> 6x2 (windows of 1x2) -> 1x1 (global average pooling).
    name: 'adaptive average pools: keeping the height, then global',
    make: () => new Sequential(new Conv2d(2, 4, 3, { padding: 1 }), new AdaptiveAvgPool2d([null, 2]), new ReLU(), new AdaptiveAvgPool2d(1), new Flatten(), new Linear(4, 2)),
    sample: [2, 6, 4],
  },
  {
    name: 'layernorm on a 3-D input, linear on the last axis',
    make: () => new Sequential(new Linear(6, 8), new LayerNorm(8), new ReLU(), new LayerNorm([4, 8], { elementwiseAffine: false }), new Linear(8, 3)),
    sample: [4, 6],
  },
  { name: 'nested sequentials', make: () => new Sequential(new Sequential(new Linear(3, 4), new Tanh()), new Sequential(new Sequential(new Linear(4, 2)))), sample: [3] },
  {
    name: 'embedding: int32 indices in, vectors out',
    make: () => new Sequential(new Embedding(11, 4), new Flatten(), new Linear(12, 2)),
    sample: [3],
    input: (shape) => tensor(Int32Array.from({ length: shape[0]! * 3 }, (_, i) => (i * 7) % 11), { shape, dtype: 'int32' }),
  },
];

/** Gives every float parameter and buffer random values, so a swapped or skipped weight shows. */
export function randomise<M extends Module>(model: M): M {
  noGrad(() => {
    for (const [name, t] of model.stateDict()) {
      if (t.dtype !== 'float32') continue;
      t.copy_(name.endsWith('running_var') ? rand(t.shape).add(0.5) : randn(t.shape).mul(0.5)); // variances stay positive
    }
  });
  return model;
}
