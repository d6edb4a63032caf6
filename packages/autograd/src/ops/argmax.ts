import { defineOp } from '../op';
import { noGrad } from '../context';
import { aroundAxis, normalizeAxis } from '../shape';
import { allocate, backendOf, type Tensor } from '../tensor';
import { floatInputs } from './internal/common';
import { contiguous } from './contiguous';
import * as integer from './internal/integer';

/** The index of the first largest value along `axis` (NaN counts as largest), as int32. No gradient. */
export const argmax = defineOp({ name: 'argmax', gradient: 'none', kernels: ['argmax'] }, (x: Tensor, axis: number, keepDims = false): Tensor => {
  return argExtremum('argmax', x, axis, keepDims);
});

/** The index of the first smallest value along `axis` (NaN counts as smallest, as in PyTorch), as int32. */
export const argmin = defineOp({ name: 'argmin', gradient: 'none', kernels: ['argmax'] }, (x: Tensor, axis: number, keepDims = false): Tensor => {
  return argExtremum('argmin', x, axis, keepDims);
});

function argExtremum(op: 'argmax' | 'argmin', x: Tensor, axis: number, keepDims: boolean): Tensor {
  backendOf(op, [x]);
  const a = normalizeAxis(axis, x.rank, op);
  const [outer, len, inner] = aroundAxis(x.shape, a);
  if (len === 0) throw new RangeError(`${op}: cannot take the ${op} of an empty axis`);
  const shape = x.rank === 0 ? [] : keepDims ? x.shape.map((d, i) => (i === a ? 1 : d)) : x.shape.filter((_, i) => i !== a);
  if (x.dtype === 'int32') {
    // Exact on integers; the first extremum wins ties.
    const better = op === 'argmax' ? (v: number, best: number) => v > best : (v: number, best: number) => v < best;
    return integer.lanes(op, x, outer, len, inner, shape, (v, base, stride) => {
      let best = 0;
      for (let k = 1; k < len; k++) if (better(v[base + k * stride]!, v[base + best * stride]!)) best = k;
      return best;
    });
  }
  const backend = floatInputs(op, [x]);
  const out = allocate(backend, shape, 'int32');
  // The argmin of x is the argmax of -x (NaN stays NaN, the first smallest becomes the first largest).
  backend.argmax(outer, len, inner, op === 'argmax' ? contiguous(x) : noGrad(() => x.neg()), out);
  return out;
}
