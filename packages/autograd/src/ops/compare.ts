// Comparisons: 1 where true, 0 where false, as float32 (so they can weight or be averaged); no gradient.
// An int32 tensor against int32 or a number compares exactly in TypeScript; against float32 it is promoted
// to float32 first, as PyTorch promotes.
import { ops as codes } from '@backprop/kernels';
import type { Tensor } from '../tensor';
import { asFloat, broadcastBinary, broadcastOrThrow, checkOperand, floatInputs } from './common';
import { constantLike } from './constant';
import { elementwise } from './integer';

const tests: Record<number, (x: number, y: number) => boolean> = {
  [codes.EQ]: (x, y) => x === y,
  [codes.NE]: (x, y) => x !== y,
  [codes.LT]: (x, y) => x < y,
  [codes.LE]: (x, y) => x <= y,
  [codes.GT]: (x, y) => x > y,
  [codes.GE]: (x, y) => x >= y,
};

function compare(op: string, code: number, a: Tensor, b: Tensor | number): Tensor {
  checkOperand(op, b);
  const shape = broadcastOrThrow(op, a.live(op).shape, typeof b === 'number' ? [] : b.live(op).shape);
  if (a.dtype === 'int32' && (typeof b === 'number' || b.dtype === 'int32')) {
    const test = tests[code]!;
    return elementwise(op, a, b, shape, 'float32', (x, y) => (test(x, y) ? 1 : 0));
  }
  const x = asFloat(a);
  const y = typeof b === 'number' ? constantLike(x, b) : asFloat(b);
  return broadcastBinary(floatInputs(op, [x, y]), code, x, y, shape);
}

export const eq = (a: Tensor, b: Tensor | number): Tensor => compare('eq', codes.EQ, a, b);
export const ne = (a: Tensor, b: Tensor | number): Tensor => compare('ne', codes.NE, a, b);
export const lt = (a: Tensor, b: Tensor | number): Tensor => compare('lt', codes.LT, a, b);
export const le = (a: Tensor, b: Tensor | number): Tensor => compare('le', codes.LE, a, b);
export const gt = (a: Tensor, b: Tensor | number): Tensor => compare('gt', codes.GT, a, b);
export const ge = (a: Tensor, b: Tensor | number): Tensor => compare('ge', codes.GE, a, b);
