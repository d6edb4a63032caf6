// sum, mean, max and min over one axis, a list of axes, or every element, with keepDims. One axis runs in one
// kernel; several compose from it. int32 sums and extrema stay int32 (exact; a sum past int32's range throws,
// where PyTorch would widen to int64); the mean of int32 is refused, as in PyTorch.
import type { ReduceOpName } from '@backprop/kernels';
import { defineOp } from '../op';
import { DTypeError } from '../errors';
import { aroundAxis, formatShape, normalizeAxis, type Shape } from '../shape';
import { allocate, record, type Tensor } from '../tensor';
import { broadcastTo, floatInputs } from './internal/common';
import { contiguous } from './contiguous';
import * as integer from './internal/integer';

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
  op: ReduceOpName, x: Tensor, axis: number | undefined, keepDims: boolean,
  grad: (dy: Tensor, y: Tensor, r: Reduction) => Tensor, saves: (y: Tensor) => Tensor[],
): Tensor {
  const backend = floatInputs(op, [x]);
  const r = plan(op, x, axis, keepDims);
  x = contiguous(x);
  // An empty sum is 0 and an empty mean NaN, as in PyTorch; an empty max has no value.
  if (r.len === 0 && op === 'max') throw new RangeError(`${op}: cannot reduce an empty axis (shape ${formatShape(x.shape)})`);
  const out = allocate(backend, r.shape, 'float32');
  backend.reduce(op, r.outer, r.len, r.inner, x, out);
  return record(out, op, [x], (dy) => [grad(dy, out, r)], { saves: saves(out), params: { axis: axis ?? null, keepDims } });
}

/** The sum, max or min of an int32 tensor along one axis (or all), exact. */
function reduceInts(op: 'sum' | 'max' | 'min', x: Tensor, axis: number | undefined, keepDims: boolean): Tensor {
  const r = plan(op, x.live(op), axis, keepDims);
  if (op !== 'sum' && r.len === 0) throw new RangeError(`${op}: cannot reduce an empty axis (shape ${formatShape(x.shape)})`);
  const combine = op === 'max' ? Math.max : op === 'min' ? Math.min : (s: number, v: number) => s + v;
  return integer.lanes(op, x, r.outer, r.len, r.inner, r.shape, (v, base, stride, index) => {
    let acc = op === 'sum' ? 0 : v[base]!;
    for (let k = op === 'sum' ? 0 : 1; k < r.len; k++) acc = combine(acc, v[base + k * stride]!);
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

/** One axis, a list of axes, or (omitted) every axis. */
export type Axes = number | readonly number[];

/** The axes to reduce, normalised and sorted without repeats; undefined for every axis (or one given as a number). */
function axesOf(op: string, x: Tensor, axes: Axes | undefined): number[] | number | undefined {
  if (axes === undefined || typeof axes === 'number') return axes;
  if (!Array.isArray(axes)) throw new TypeError(`${op}: axes must be a number or an array of numbers, got ${typeof axes}`);
  const list = [...new Set(axes.map((a: number) => normalizeAxis(a, x.rank, op)))].sort((a, b) => a - b);
  if (list.length !== axes.length) throw new RangeError(`${op}: axis repeated in ${formatShape(axes)}`);
  return list.length === 1 ? list[0]! : list;
}

/** A reduction over several axes: `one` along each, last first, keeping them, then the reduced axes dropped. */
function overAxes(x: Tensor, axes: readonly number[], keepDims: boolean, one: (t: Tensor, axis: number) => Tensor): Tensor {
  let y = x;
  for (let i = axes.length - 1; i >= 0; i--) y = one(y, axes[i]!);
  return keepDims ? y : y.reshape(x.shape.filter((_, i) => !axes.includes(i)));
}

/** An extremum over several axes at once (so ties anywhere among them share the gradient): the axes moved last and merged. */
function extremumOver(x: Tensor, axes: readonly number[], keepDims: boolean, one: (t: Tensor, axis: number) => Tensor): Tensor {
  const kept = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const merged = x.permute([...kept, ...axes]).reshape([...kept.map((i) => x.shape[i]!), -1]);
  const y = one(merged, -1);
  return keepDims ? y.reshape(x.shape.map((d, i) => (axes.includes(i) ? 1 : d))) : y;
}

/** The sum over `axes` (every element by default). int32 sums stay int32. */
export const sum = defineOp({ name: 'sum', gradient: 'recorded', kernels: ['reduceSum'] }, (x: Tensor, axes?: Axes, keepDims = false): Tensor => {
  const a = axesOf('sum', x, axes);
  if (Array.isArray(a)) return overAxes(x, a, keepDims, (t, axis) => sum(t, axis, true));
  const axis = a;
  if (x.dtype === 'int32') return reduceInts('sum', x, axis, keepDims);
  const shape = x.shape;
  return reduce('sum', x, axis, keepDims, (dy, _y, r) => spread(dy, r, shape), () => []);
});

/** The mean over `axes` (NaN over none). int32 is refused, as in PyTorch. */
export const mean = defineOp({ name: 'mean', gradient: 'recorded', kernels: ['reduceMean'] }, (x: Tensor, axes?: Axes, keepDims = false): Tensor => {
  if (x.live('mean').dtype === 'int32') throw new DTypeError('mean: the input is int32, and a mean is not an integer (PyTorch refuses it too): use x.float().mean()');
  const a = axesOf('mean', x, axes);
  if (Array.isArray(a)) return sum(x, a, keepDims).mul(1 / a.reduce((n, i) => n * x.shape[i]!, 1));
  const axis = a;
  const shape = x.shape;
  return reduce('mean', x, axis, keepDims, (dy, _y, r) => spread(dy, r, shape).mul(1 / r.len), () => []);
});

/** The maximum over `axes`; its gradient goes to the maximal elements, split evenly among ties (PyTorch's amax rule). */
export const max = defineOp({ name: 'max', gradient: 'recorded', kernels: ['reduceMax'] }, (x: Tensor, axes?: Axes, keepDims = false): Tensor => {
  const a = axesOf('max', x, axes);
  if (Array.isArray(a)) return extremumOver(x, a, keepDims, (t, axis) => max(t, axis));
  const axis = a;
  if (x.dtype === 'int32') return reduceInts('max', x, axis, keepDims);
  return reduce('max', x, axis, keepDims, (dy, y, r) => {
    const winners = x.eq(spread(y, r, x.shape));
    const count = winners.sum(axis, true);
    return spread(dy, r, x.shape).mul(winners).div(broadcastTo(count.reshape(r.keptShape), x.shape));
  }, (y) => [x, y]);
});

/** The minimum over `axes` (-max(-x): the same rule for ties, NaN wins). */
export const min = defineOp({ name: 'min', gradient: 'composite', kernels: [] }, (x: Tensor, axes?: Axes, keepDims = false): Tensor => {
  if (x.live('min').dtype === 'int32') {
    const a = axesOf('min', x, axes);
    if (Array.isArray(a)) return overAxes(x, a, keepDims, (t, axis) => min(t, axis, true));
    return reduceInts('min', x, a, keepDims);
  }
  return max(x.neg(), axes, keepDims).neg();
});
