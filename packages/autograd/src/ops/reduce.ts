// sum, mean and max over one axis (or every element when axis is omitted), with keepDims.
import { ops as codes } from '@backprop/kernels';
import { aroundAxis, formatShape, normalizeAxis, type Shape } from '../shape';
import { allocate, record, type Tensor } from '../tensor';
import { broadcastTo, floatInputs } from './common';

interface Reduction {
  outer: number;
  len: number;
  inner: number;
  /** The result's shape, and the same with the reduced axis kept as 1 (for broadcasting back). */
  shape: number[];
  keptShape: number[];
}

function plan(op: string, x: Tensor, axis: number | undefined, keepDims: boolean): Reduction {
  if (axis === undefined) {
    const keptShape = x.shape.map(() => 1);
    return { outer: 1, len: x.size, inner: 1, shape: keepDims ? keptShape : [], keptShape };
  }
  const a = normalizeAxis(axis, x.rank, op);
  const [outer, len, inner] = aroundAxis(x.shape, a);
  const keptShape = x.shape.map((d, i) => (i === a ? 1 : d));
  return { outer, len, inner, shape: keepDims ? keptShape : x.shape.filter((_, i) => i !== a), keptShape };
}

function reduce(op: 'sum' | 'mean' | 'max', code: number, x: Tensor, axis: number | undefined, keepDims: boolean, grad: (dy: Tensor, y: Tensor, r: Reduction) => Tensor): Tensor {
  const backend = floatInputs(op, [x]);
  const r = plan(op, x, axis, keepDims);
  if (r.len === 0 && op !== 'sum') throw new RangeError(`${op}: cannot reduce an empty axis (shape ${formatShape(x.shape)})`);
  const out = allocate(backend, r.shape, 'float32', true);
  backend.reduce(code, r.outer, r.len, r.inner, x, out);
  return record(out, op, [x], (dy) => [grad(dy, out, r)], { axis: axis ?? null, keepDims });
}

/** dy shaped with the reduced axis kept, then broadcast back over it. */
function spread(dy: Tensor, r: Reduction, shape: Shape): Tensor {
  return broadcastTo(dy.reshape(r.keptShape), shape);
}

export function sum(x: Tensor, axis?: number, keepDims = false): Tensor {
  return reduce('sum', codes.SUM, x, axis, keepDims, (dy, _y, r) => spread(dy, r, x.shape));
}

export function mean(x: Tensor, axis?: number, keepDims = false): Tensor {
  return reduce('mean', codes.MEAN, x, axis, keepDims, (dy, _y, r) => spread(dy, r, x.shape).mul(1 / r.len));
}

/** max's gradient goes to the maximal elements, split evenly among ties (PyTorch's amax rule). */
export function max(x: Tensor, axis?: number, keepDims = false): Tensor {
  return reduce('max', codes.MAX, x, axis, keepDims, (dy, y, r) => {
    const winners = x.eq(spread(y, r, x.shape));
    const count = winners.sum(axis, true);
    return spread(dy, r, x.shape).mul(winners).div(broadcastTo(count.reshape(r.keptShape), x.shape));
  });
}
