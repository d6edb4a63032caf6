import { defineOp } from '../op';
import { ShapeError } from '../errors';
import { formatShape, sizeOf } from '../shape';
import { allocate, backendOf, record, type Tensor } from '../tensor';
import { at, checkTensor } from './internal/common';
import { contiguous } from './contiguous';
import { unsqueeze } from './reshape';

/** Checks that every tensor has the same shape except along `axis`; returns [outer, inner, sizes along axis]. */
function layout(op: string, tensors: readonly Tensor[], axis: number): [number, number, number[]] {
  const first = tensors[0]!;
  for (const t of tensors) {
    if (t.rank !== first.rank || t.shape.some((d, i) => i !== axis && d !== first.shape[i]) || t.dtype !== first.dtype) {
      throw new ShapeError(`${op}: every tensor must match except along axis ${axis}: got ${tensors.map((u) => `${formatShape(u.shape)} ${u.dtype}`).join(', ')}`);
    }
  }
  return [sizeOf(first.shape.slice(0, axis)), sizeOf(first.shape.slice(axis + 1)), tensors.map((t) => t.shape[axis]!)];
}

/** Joins tensors along an existing axis. */
export const concat = defineOp({ name: 'concat', gradient: 'recorded', kernels: ['copy'] }, (inputs: readonly Tensor[], axis = 0): Tensor => {
  if (typeof inputs !== 'object' || inputs.length === 0) throw new RangeError('concat: needs a non-empty array of tensors');
  inputs.forEach((t, i) => checkTensor('concat', t, `element ${i}`));
  const backend = backendOf('concat', inputs);
  const tensors = inputs.map(contiguous);
  const first = tensors[0]!;
  if (first.rank === 0) throw new ShapeError('concat: cannot concatenate 0-d tensors (use stack)');
  const a = axis < 0 ? axis + first.rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= first.rank) throw new RangeError(`concat: axis ${axis} is out of range for rank ${first.rank}`);
  const [outer, inner, sizes] = layout('concat', tensors, a);
  const total = sizes.reduce((s, n) => s + n, 0);
  const out = allocate(backend, first.shape.map((d, i) => (i === a ? total : d)), first.dtype);
  let start = 0;
  for (let k = 0; k < tensors.length; k++) {
    const block = sizes[k]! * inner;
    for (let o = 0; o < outer; o++) backend.copy(at(tensors[k]!, o * block), at(out, o * total * inner + start * inner), block);
    start += sizes[k]!;
  }
  const parts = tensors.map((t) => ({ shape: t.shape, requiresGrad: t.requiresGrad }));
  return record(out, 'concat', tensors, (dy) => {
    let from = 0;
    return parts.map((t, k) => {
      const block = sizes[k]! * inner;
      const g = t.requiresGrad ? allocate(backend, t.shape, 'float32') : null;
      if (g) for (let o = 0; o < outer; o++) backend.copy(at(dy, o * total * inner + from * inner), at(g, o * block), block);
      from += sizes[k]!;
      return g;
    });
  }, { params: { axis: a } });
});

/** Joins same-shaped tensors along a new axis. */
export const stack = defineOp({ name: 'stack', gradient: 'composite', kernels: [] }, (tensors: readonly Tensor[], axis = 0): Tensor => {
  if (typeof tensors !== 'object' || tensors.length === 0) throw new RangeError('stack: needs a non-empty array of tensors');
  tensors.forEach((t, i) => checkTensor('stack', t, `element ${i}`));
  const rank = tensors[0]!.rank;
  const a = axis < 0 ? axis + rank + 1 : axis;
  if (!Number.isInteger(a) || a < 0 || a > rank) throw new RangeError(`stack: axis ${axis} is out of range for stacking rank-${rank} tensors`);
  for (const t of tensors) {
    if (t.shape.length !== rank || t.shape.some((d, i) => d !== tensors[0]!.shape[i])) {
      throw new ShapeError(`stack: every tensor must have the same shape: got ${tensors.map((u) => formatShape(u.shape)).join(', ')}`);
    }
  }
  const columns = tensors.map((t) => unsqueeze(t, a));
  const out = concat(columns, a);
  for (const c of columns) c.discard(); // views seen by nobody else
  return out;
});
