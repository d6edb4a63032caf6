// sum, mean and max over one axis (or every element when axis is omitted), with keepDims. int32 sums and
// maxima stay int32 (exact; a sum past int32's range throws, where PyTorch would widen to int64); the mean of
// int32 is refused, as in PyTorch.
import { ops as codes } from '@backprop/kernels';
import { DTypeError } from '../errors';
import { aroundAxis, formatShape, normalizeAxis, type Shape } from '../shape';
import { allocate, record, type Tensor } from '../tensor';
import { broadcastTo, floatInputs } from './common';
import * as integer from './integer';

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

function reduce(
  op: 'sum' | 'mean' | 'max', code: number, x: Tensor, axis: number | undefined, keepDims: boolean,
  grad: (dy: Tensor, y: Tensor, r: Reduction) => Tensor, saves: (y: Tensor) => Tensor[],
): Tensor {
  const backend = floatInputs(op, [x]);
  const r = plan(op, x, axis, keepDims);
  // An empty sum is 0 and an empty mean NaN, as in PyTorch; an empty max has no value.
  if (r.len === 0 && op === 'max') throw new RangeError(`${op}: cannot reduce an empty axis (shape ${formatShape(x.shape)})`);
  const out = allocate(backend, r.shape, 'float32');
  backend.reduce(code, r.outer, r.len, r.inner, x, out);
  return record(out, op, [x], (dy) => [grad(dy, out, r)], { saves: saves(out), params: { axis: axis ?? null, keepDims } });
}

/** The sum or max of an int32 tensor, exact. */
function reduceInts(op: 'sum' | 'max', x: Tensor, axis: number | undefined, keepDims: boolean): Tensor {
  const r = plan(op, x.live(op), axis, keepDims);
  if (op === 'max' && r.len === 0) throw new RangeError(`max: cannot reduce an empty axis (shape ${formatShape(x.shape)})`);
  return integer.lanes(op, x, r.outer, r.len, r.inner, r.shape, (v, base, stride, index) => {
    let acc = op === 'max' ? v[base]! : 0;
    for (let k = op === 'max' ? 1 : 0; k < r.len; k++) acc = op === 'max' ? Math.max(acc, v[base + k * stride]!) : acc + v[base + k * stride]!;
    if (acc !== (acc | 0)) {
      throw new RangeError(`sum: the int32 sum at output index ${index} is ${acc}, outside int32 (PyTorch would return int64): sum x.float() instead`);
    }
    return acc;
  });
}

/** dy shaped with the reduced axis kept, then broadcast back over it. */
function spread(dy: Tensor, r: Reduction, shape: Shape): Tensor {
  return broadcastTo(dy.reshape(r.keptShape), shape);
}

export function sum(x: Tensor, axis?: number, keepDims = false): Tensor {
  if (x.dtype === 'int32') return reduceInts('sum', x, axis, keepDims);
  const shape = x.shape;
  return reduce('sum', codes.SUM, x, axis, keepDims, (dy, _y, r) => spread(dy, r, shape), () => []);
}

export function mean(x: Tensor, axis?: number, keepDims = false): Tensor {
  if (x.dtype === 'int32') throw new DTypeError('mean: the input is int32, and a mean is not an integer (PyTorch refuses it too): use x.float().mean()');
  const shape = x.shape;
  return reduce('mean', codes.MEAN, x, axis, keepDims, (dy, _y, r) => spread(dy, r, shape).mul(1 / r.len), () => []);
}

/** max's gradient goes to the maximal elements, split evenly among ties (PyTorch's amax rule). */
export function max(x: Tensor, axis?: number, keepDims = false): Tensor {
  if (x.dtype === 'int32') return reduceInts('max', x, axis, keepDims);
  return reduce('max', codes.MAX, x, axis, keepDims, (dy, y, r) => {
    const winners = x.eq(spread(y, r, x.shape));
    const count = winners.sum(axis, true);
    return spread(dy, r, x.shape).mul(winners).div(broadcastTo(count.reshape(r.keptShape), x.shape));
  }, (y) => [x, y]);
}
