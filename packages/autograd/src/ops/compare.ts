// Comparisons: 1 where true, 0 where false, as float32 (so they can weight or be averaged); no gradient.
// An int32 tensor against int32 or a number compares exactly in TypeScript; against float32 it is promoted
// to float32 first, as PyTorch promotes.
import { defineOp } from '../op';
import type { Tensor } from '../tensor';
import { asFloat, broadcastBinary, broadcastOrThrow, checkOperand, floatInputs } from './internal/common';
import { constantLike } from './internal/constant';
import { elementwise } from './internal/integer';

type Comparison = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';

const tests: Record<Comparison, (x: number, y: number) => boolean> = {
  eq: (x, y) => x === y,
  ne: (x, y) => x !== y,
  lt: (x, y) => x < y,
  le: (x, y) => x <= y,
  gt: (x, y) => x > y,
  ge: (x, y) => x >= y,
};

function compare(op: Comparison, a: Tensor, b: Tensor | number): Tensor {
  checkOperand(op, b);
  const shape = broadcastOrThrow(op, a.live(op).shape, typeof b === 'number' ? [] : b.live(op).shape);
  if (a.dtype === 'int32' && (typeof b === 'number' || b.dtype === 'int32')) {
    const test = tests[op];
    return elementwise(op, a, b, shape, 'float32', (x, y) => (test(x, y) ? 1 : 0));
  }
  const x = asFloat(a);
  const y = typeof b === 'number' ? constantLike(x, b) : asFloat(b);
  return broadcastBinary(floatInputs(op, [x, y]), op, x, y, shape);
}

export const eq = defineOp({ name: 'eq', gradient: 'none', kernels: ['eq'] }, (a: Tensor, b: Tensor | number): Tensor => compare('eq', a, b));
export const ne = defineOp({ name: 'ne', gradient: 'none', kernels: ['ne'] }, (a: Tensor, b: Tensor | number): Tensor => compare('ne', a, b));
export const lt = defineOp({ name: 'lt', gradient: 'none', kernels: ['lt'] }, (a: Tensor, b: Tensor | number): Tensor => compare('lt', a, b));
export const le = defineOp({ name: 'le', gradient: 'none', kernels: ['le'] }, (a: Tensor, b: Tensor | number): Tensor => compare('le', a, b));
export const gt = defineOp({ name: 'gt', gradient: 'none', kernels: ['gt'] }, (a: Tensor, b: Tensor | number): Tensor => compare('gt', a, b));
export const ge = defineOp({ name: 'ge', gradient: 'none', kernels: ['ge'] }, (a: Tensor, b: Tensor | number): Tensor => compare('ge', a, b));
