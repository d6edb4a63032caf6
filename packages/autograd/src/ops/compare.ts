// Comparisons: 1 where true, 0 where false, as float32 (so they can weight or be averaged); no gradient.
// int32 operands (labels, argmax results) are compared exactly in JavaScript.
import { ops as codes } from '@backprop/kernels';
import { DTypeError } from '../errors';
import { planBinary } from '../shape';
import { allocate, backendOf, type Tensor } from '../tensor';
import { broadcastBinary, broadcastOrThrow } from './common';
import { constantLike } from './constant';

const tests: Record<number, (x: number, y: number) => boolean> = {
  [codes.EQ]: (x, y) => x === y,
  [codes.NE]: (x, y) => x !== y,
  [codes.LT]: (x, y) => x < y,
  [codes.LE]: (x, y) => x <= y,
  [codes.GT]: (x, y) => x > y,
  [codes.GE]: (x, y) => x >= y,
};

function compare(op: string, code: number, a: Tensor, b: Tensor | number): Tensor {
  const other = typeof b === 'number' ? (a.dtype === 'int32' ? integerLike(a, b) : constantLike(a, b)) : b;
  const backend = backendOf(op, [a, other]);
  const shape = broadcastOrThrow(op, a.shape, other.shape);
  if (a.dtype === 'float32' && other.dtype === 'float32') return broadcastBinary(backend, code, a, other, shape);
  if (a.dtype !== other.dtype) throw new DTypeError(`${op}: cannot compare ${a.dtype} with ${other.dtype}`);
  const [x, y] = [a.values(), other.values()];
  const out = allocate(backend, shape, 'float32', true);
  const result = new Float32Array(out.size);
  const plan = planBinary(a.shape, other.shape, shape);
  const test = tests[code]!;
  for (const [oa, ob, oo] of plan.calls) {
    for (let r = 0; r < plan.rows; r++) {
      for (let c = 0; c < plan.cols; c++) {
        result[oo + r * plan.cols + c] = test(x[oa + r * plan.aRow + c * plan.aCol]!, y[ob + r * plan.bRow + c * plan.bCol]!) ? 1 : 0;
      }
    }
  }
  backend.write(out, result);
  return out;
}

function integerLike(t: Tensor, value: number): Tensor {
  if (!Number.isInteger(value)) throw new DTypeError(`comparing an int32 tensor with the non-integer ${value}`);
  const c = allocate(t.backend, [], 'int32', true);
  t.backend.fill(c, 1, value);
  return c;
}

export const eq = (a: Tensor, b: Tensor | number): Tensor => compare('eq', codes.EQ, a, b);
export const ne = (a: Tensor, b: Tensor | number): Tensor => compare('ne', codes.NE, a, b);
export const lt = (a: Tensor, b: Tensor | number): Tensor => compare('lt', codes.LT, a, b);
export const le = (a: Tensor, b: Tensor | number): Tensor => compare('le', codes.LE, a, b);
export const gt = (a: Tensor, b: Tensor | number): Tensor => compare('gt', codes.GT, a, b);
export const ge = (a: Tensor, b: Tensor | number): Tensor => compare('ge', codes.GE, a, b);
