import { aroundAxis, normalizeAxis } from '../shape';
import { allocate, backendOf, type Tensor } from '../tensor';
import { floatInputs } from './common';
import * as integer from './integer';

/** The index of the first largest value along `axis` (NaN counts as largest), as int32. No gradient. */
export function argmax(x: Tensor, axis: number, keepDims = false): Tensor {
  backendOf('argmax', [x]);
  const a = normalizeAxis(axis, x.rank, 'argmax');
  const [outer, len, inner] = aroundAxis(x.shape, a);
  if (len === 0) throw new RangeError('argmax: cannot take the argmax of an empty axis');
  const shape = x.rank === 0 ? [] : keepDims ? x.shape.map((d, i) => (i === a ? 1 : d)) : x.shape.filter((_, i) => i !== a);
  if (x.dtype === 'int32') {
    // Exact on integers; the first maximum wins ties.
    return integer.lanes('argmax', x, outer, len, inner, shape, (v, base, stride) => {
      let best = 0;
      for (let k = 1; k < len; k++) if (v[base + k * stride]! > v[base + best * stride]!) best = k;
      return best;
    });
  }
  const backend = floatInputs('argmax', [x]);
  const out = allocate(backend, shape, 'int32');
  backend.argmax(outer, len, inner, x, out);
  return out;
}
