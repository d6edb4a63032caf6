import { ShapeError } from '../errors';
import { formatShape, sizeOf } from '../shape';
import { allocate, record, type Tensor } from '../tensor';
import { floatInputs } from './common';

/**
 * PReLU with a learnable slope: y = x for x > 0, alpha x otherwise. alpha has 1 element (shared) or one per
 * channel, the channel axis being 1 (0 for 1-D input), as PyTorch's nn.PReLU.
 */
export function prelu(x: Tensor, alpha: Tensor): Tensor {
  const backend = floatInputs('prelu', [x, alpha]);
  const channelAxis = x.rank >= 2 ? 1 : 0;
  const channels = alpha.size;
  const perChannel = channels !== 1;
  if (perChannel && (x.rank === 0 || x.shape[channelAxis] !== channels)) {
    throw new ShapeError(`prelu: ${channels} slopes need input with ${channels} channels on axis ${channelAxis}, got shape ${formatShape(x.shape)}`);
  }
  const outer = perChannel ? sizeOf(x.shape.slice(0, channelAxis)) : 1;
  const inner = perChannel ? sizeOf(x.shape.slice(channelAxis + 1)) : x.size;
  const y = allocate(backend, x.shape, 'float32', true);
  backend.prelu(outer, channels, inner, x, alpha, y);
  return record(y, 'prelu', [x, alpha], (dy) => {
    const dx = allocate(backend, x.shape, 'float32', true);
    const dalpha = allocate(backend, alpha.shape, 'float32', true);
    backend.preluBackward(outer, channels, inner, x, alpha, dy, dx, dalpha);
    return [dx, dalpha];
  });
}
