// gather and its adjoint scatterAdd along an axis, with int32 indices (PyTorch's gather and scatter_add):
// out[i][j][k] = x[i][index[i][j][k]][k] for axis 1, and the reverse accumulation.
import { defineOp } from '../op';
import { DTypeError, ShapeError } from '../errors';
import { contiguousStrides } from '../layout';
import { formatShape, normalizeAxis, sameShape } from '../shape';
import { allocate, backendOf, record, type Tensor } from '../tensor';
import { checkTensor } from './internal/common';
import { pad } from './pad';

/** For every element of `index`: its position in a tensor of `shape` with the axis coordinate replaced by the index value. */
function positions(op: string, shape: readonly number[], axis: number, index: Tensor): Int32Array {
  if (index.dtype !== 'int32') throw new DTypeError(`${op}: the index must be int32, got ${index.dtype}`);
  if (index.rank !== shape.length || index.shape.some((d, i) => i !== axis && d > shape[i]!)) {
    throw new ShapeError(`${op}: an index of shape ${formatShape(index.shape)} does not fit a ${formatShape(shape)} tensor along axis ${axis} (same rank, no larger elsewhere)`);
  }
  const strides = contiguousStrides(shape);
  const values = index.values();
  const at = new Int32Array(values.length);
  const coordinate = index.shape.map(() => 0);
  for (let n = 0; n < values.length; n++) {
    const v = values[n]!;
    if (!(v >= 0 && v < shape[axis]!)) throw new RangeError(`${op}: index ${v} is out of range for axis ${axis} of size ${shape[axis]}`);
    at[n] = coordinate.reduce((sum, c, i) => sum + (i === axis ? v : c) * strides[i]!, 0);
    for (let i = coordinate.length - 1; i >= 0 && ++coordinate[i]! === index.shape[i]!; i--) coordinate[i] = 0;
  }
  return at;
}

/** x's elements picked along `axis` by int32 `index` (the result has index's shape). */
export const gather = defineOp({ name: 'gather', gradient: 'recorded', kernels: [] }, (x: Tensor, axis: number, index: Tensor): Tensor => {
  checkTensor('gather', index, 'the index');
  const backend = backendOf('gather', [x, index]);
  const a = normalizeAxis(axis, x.rank, 'gather');
  const at = positions('gather', x.shape, a, index);
  const source = x.values();
  const out = allocate(backend, index.shape, x.dtype);
  if (out.size > 0) backend.write(out, Array.from(at, (p) => source[p]!));
  const shape = x.shape;
  return record(out, 'gather', [x], (dy) => [scatterAdd(allocateZeros(dy, shape), a, index, dy)], { saves: [index], params: { axis: a } });
});

/** x plus `src` added at the positions `index` picks along `axis` (repeats accumulate): PyTorch's scatter_add. */
export const scatterAdd = defineOp({ name: 'scatterAdd', gradient: 'recorded', kernels: [] }, (x: Tensor, axis: number, index: Tensor, src: Tensor): Tensor => {
  checkTensor('scatterAdd', index, 'the index');
  checkTensor('scatterAdd', src, 'the source');
  const backend = backendOf('scatterAdd', [x, index, src]);
  const a = normalizeAxis(axis, x.rank, 'scatterAdd');
  if (src.dtype !== x.dtype) throw new DTypeError(`scatterAdd: the source is ${src.dtype} but the tensor ${x.dtype}`);
  if (src.rank !== index.rank || index.shape.some((d, i) => d > src.shape[i]!)) {
    throw new ShapeError(`scatterAdd: an index of shape ${formatShape(index.shape)} does not fit a source of shape ${formatShape(src.shape)}`);
  }
  const at = positions('scatterAdd', x.shape, a, index);
  const result = x.dtype === 'int32' ? Int32Array.from(x.values()) : Float64Array.from(x.values());
  const values = src.values();
  const srcStrides = contiguousStrides(src.shape);
  const coordinate = index.shape.map(() => 0);
  for (let n = 0; n < at.length; n++) {
    result[at[n]!]! += values[coordinate.reduce((sum, c, i) => sum + c * srcStrides[i]!, 0)]!;
    for (let i = coordinate.length - 1; i >= 0 && ++coordinate[i]! === index.shape[i]!; i--) coordinate[i] = 0;
  }
  const out = allocate(backend, x.shape, x.dtype);
  if (out.size > 0) backend.write(out, result);
  const [srcShape, srcGrad] = [src.shape, src.requiresGrad];
  return record(out, 'scatterAdd', [x, src], (dy) => {
    if (!srcGrad) return [dy, null];
    // Each source element's gradient is the gradient where it landed; elements the index does not reach get 0.
    const picked = gather(dy, a, index);
    if (sameShape(picked.shape, srcShape)) return [dy, picked];
    const pads = srcShape.map((d, i) => [0, d - picked.shape[i]!]).reverse().flat(); // pairs from the last axis back
    return [dy, pad(picked, pads)];
  }, { saves: [index], params: { axis: a } });
});

function allocateZeros(like: Tensor, shape: readonly number[]): Tensor {
  const z = allocate(like.backend, shape, 'float32');
  like.backend.fill(z, z.size, 0);
  return z;
}
