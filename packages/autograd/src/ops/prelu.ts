import { defineOp } from '../op';
import { ShapeError } from '../errors';
import { formatShape, sizeOf } from '../shape';
import { allocate, record, type Tensor } from '../tensor';
import { checkTensor, floatInputs } from './internal/common';
import { contiguous } from './contiguous';

/**
 * PReLU with a learnable slope: y = x for x > 0, alpha x otherwise. alpha has 1 element (shared) or one per
 * channel of axis 1, as PyTorch's nn.PReLU.
 */
export const prelu = defineOp({ name: 'prelu', gradient: 'recorded', kernels: ['prelu', 'preluBackward'] }, (input: Tensor, slopes: Tensor): Tensor => {
  checkTensor('prelu', slopes, 'alpha');
  const backend = floatInputs('prelu', [input, slopes]);
  const [x, alpha] = [contiguous(input), contiguous(slopes)];
  const channels = alpha.size;
  const perChannel = channels !== 1;
  // As PyTorch: the channels are axis 1, and an input of rank 0 or 1 has a single channel.
  if (perChannel && (x.rank < 2 || x.shape[1] !== channels)) {
    throw new ShapeError(`prelu: ${channels} slopes need input with ${channels} channels on axis 1, got shape ${formatShape(x.shape)} (${x.rank < 2 ? 'one channel' : `${x.shape[1]} channels`})`);
  }
  const outer = perChannel ? x.shape[0]! : 1;
  const inner = perChannel ? sizeOf(x.shape.slice(2)) : x.size;
  const y = allocate(backend, x.shape, 'float32');
  backend.prelu(outer, channels, inner, x, alpha, y);
  return record(y, 'prelu', [x, alpha], (dy) => {
    const [dx, dalpha] = [allocate(backend, x.shape, 'float32'), allocate(backend, alpha.shape, 'float32')];
    backend.preluBackward(outer, channels, inner, x, alpha, dy, dx, dalpha);
    return [dx, dalpha];
  }, { saves: [x, alpha] });
});
