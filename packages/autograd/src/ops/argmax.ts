import { aroundAxis, normalizeAxis } from '../shape';
import { allocate, type Tensor } from '../tensor';
import { floatInputs } from './common';

/** The index of the first largest value along `axis` (NaN counts as largest), as int32. No gradient. */
export function argmax(x: Tensor, axis: number, keepDims = false): Tensor {
  const backend = floatInputs('argmax', [x]);
  const a = normalizeAxis(axis, x.rank, 'argmax');
  const [outer, len, inner] = aroundAxis(x.shape, a);
  if (len === 0) throw new RangeError('argmax: cannot take the argmax of an empty axis');
  const shape = x.rank === 0 ? [] : keepDims ? x.shape.map((d, i) => (i === a ? 1 : d)) : x.shape.filter((_, i) => i !== a);
  const out = allocate(backend, shape, 'int32', true);
  backend.argmax(outer, len, inner, x, out);
  return out;
}
