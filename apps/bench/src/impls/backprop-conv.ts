import { noGrad, tensor, type Tensor } from '@backprop/autograd';
import { conv2d } from '@backprop/nn';
import type { ConvCase, ConvInputs, Prepared } from '../cases';
import { convOutput, sink } from '../cases';

/**
 * A convolution product as users run it: forward under noGrad; a gradient as the backward of one recorded conv2d
 * (retainGraph), with only x or only the weight requiring grad, so backward computes that gradient alone.
 */
export function backpropConv(c: ConvCase, inputs: ConvInputs): Prepared {
  const x = tensor(inputs.x, { shape: [c.images, c.channels, c.size, c.size], requiresGrad: c.direction === 'dx' });
  const w = tensor(inputs.w, { shape: [c.outChannels, c.channels, c.kernel, c.kernel], requiresGrad: c.direction === 'dw' });
  const dy = tensor(inputs.dy, { shape: [c.images, c.outChannels, convOutput(c), convOutput(c)] });
  const options = { padding: c.padding };
  let result: Tensor;
  let step: () => Tensor;
  if (c.direction === 'forward') {
    step = () => noGrad(() => conv2d(x, w, null, options));
  } else {
    const leaf = c.direction === 'dx' ? x : w;
    const y = conv2d(x, w, null, options);
    step = () => {
      leaf.zeroGrad();
      y.backward(dy, { retainGraph: true });
      return leaf.grad!;
    };
  }
  result = step();
  return {
    run: () => {
      result = step();
      sink.value += result.size;
    },
    output: () => Float32Array.from(result.data()),
    dispose: () => [x, w, dy].forEach((t) => t.dispose()),
  };
}
