// where(cond, a, b): a where cond is non-zero, b elsewhere, with NumPy broadcasting over all three. A select, not
// arithmetic: an Inf or NaN in the branch not taken never leaks (as it would through a * mask + b * (1 - mask)).
import { defineOp } from '../op';
import type { Backend } from '../backend';
import type { DType } from '../dtype';
import { broadcastStrides, contiguousStrides, walk } from '../layout';
import { sizeOf, type Shape } from '../shape';
import { allocate, backendOf, record, Tensor } from '../tensor';
import { asFloat, broadcastOrThrow, checkOperand, checkTensor, sumTo, type Operand } from './internal/common';

export const where = defineOp({ name: 'where', gradient: 'recorded', kernels: [] }, (cond: Tensor, a: Operand, b: Operand): Tensor => {
  checkTensor('where', cond, 'the condition');
  checkOperand('where', a);
  checkOperand('where', b);
  const backend = backendOf('where', [cond, ...[a, b].filter((v): v is Tensor => v instanceof Tensor)]);
  // PyTorch's promotion: int32 unless a float32 tensor or a fractional number takes part.
  const dtype: DType = [a, b].some((v) => (typeof v === 'number' ? !Number.isInteger(v) : v.dtype === 'float32')) ? 'float32' : 'int32';
  const [x, y] = [a, b].map((v) => (typeof v === 'number' ? scalar(backend, v, dtype) : dtype === 'float32' ? asFloat(v) : v)) as [Tensor, Tensor];
  const shape = broadcastOrThrow('where', broadcastOrThrow('where', cond.shape, x.shape), y.shape);
  const conditions = cond.values();
  checkBoolean(conditions);
  const out = allocate(backend, shape, dtype);
  if (out.size > 0) backend.write(out, select(cond, conditions, x, y, shape));
  const [xShape, yShape] = [x.shape, y.shape];
  return record(out, 'where', [x, y], (dy) => [
    x.requiresGrad ? sumTo(where(cond, dy, 0), xShape) : null,
    y.requiresGrad ? sumTo(where(cond, 0, dy), yShape) : null,
  ], { saves: [cond] });
});

/** A condition of other values than 0 and 1 is refused, as PyTorch refuses a non-bool one: it is a mistake. */
function checkBoolean(values: Float32Array | Float64Array | Int32Array): void {
  for (let i = 0; i < values.length; i++) {
    if (values[i] !== 0 && values[i] !== 1) {
      throw new TypeError(`where: the condition must be boolean, 0 or 1 (from a comparison such as a.gt(0)), but element ${i} is ${values[i]}`);
    }
  }
}

function scalar(backend: Backend, value: number, dtype: DType): Tensor {
  const t = allocate(backend, [], dtype);
  backend.fill(t, 1, value);
  return t;
}

/** The selected values, row-major over `shape`. */
function select(cond: Tensor, c: Float32Array | Float64Array | Int32Array, a: Tensor, b: Tensor, shape: Shape): Float32Array | Float64Array | Int32Array {
  const [x, y] = [a.values(), b.values()];
  const result = x instanceof Int32Array ? new Int32Array(sizeOf(shape)) : x instanceof Float64Array ? new Float64Array(sizeOf(shape)) : new Float32Array(sizeOf(shape));
  const strides = [cond, a, b].map((t) => broadcastStrides(t.shape, contiguousStrides(t.shape), shape));
  const w = walk(shape, [...strides, contiguousStrides(shape)]);
  const [rc, rx, ry, ro] = w.rowStrides as [number, number, number, number];
  const [cc, cx, cy] = w.colStrides as [number, number, number];
  for (const [oc, ox, oy, oo] of w.offsets as [number, number, number, number][]) {
    for (let r = 0; r < w.rows; r++) {
      for (let k = 0; k < w.cols; k++) {
        result[oo + r * ro + k] = c[oc + r * rc + k * cc] !== 0 ? x[ox + r * rx + k * cx]! : y[oy + r * ry + k * cy]!;
      }
    }
  }
  return result;
}
