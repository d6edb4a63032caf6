// Elementwise math and activations: one kernel each way. The backward kernel reads x or y (the output),
// whichever the derivative needs, so the closure keeps both.
import { ops as codes } from '@backprop/kernels';
import { allocate, record, type Tensor } from '../tensor';
import { floatInputs } from './common';

function unary(op: string, code: number, x: Tensor, p = 0, params?: Record<string, unknown>): Tensor {
  const backend = floatInputs(op, [x]);
  const y = allocate(backend, x.shape, 'float32', true);
  backend.unary(code, x.size, x, y, p);
  return record(y, op, [x], (dy) => {
    const dx = allocate(backend, x.shape, 'float32', true);
    backend.unaryBackward(code, x.size, x, y, dy, dx, p);
    return [dx];
  }, params);
}

export const neg = (x: Tensor): Tensor => unary('neg', codes.NEG, x);
export const abs = (x: Tensor): Tensor => unary('abs', codes.ABS, x);
export const square = (x: Tensor): Tensor => unary('square', codes.SQUARE, x);
export const sqrt = (x: Tensor): Tensor => unary('sqrt', codes.SQRT, x);
export const exp = (x: Tensor): Tensor => unary('exp', codes.EXP, x);
export const log = (x: Tensor): Tensor => unary('log', codes.LOG, x);
export const sigmoid = (x: Tensor): Tensor => unary('sigmoid', codes.SIGMOID, x);
export const tanh = (x: Tensor): Tensor => unary('tanh', codes.TANH, x);
export const relu = (x: Tensor): Tensor => unary('relu', codes.RELU, x);
export const softplus = (x: Tensor): Tensor => unary('softplus', codes.SOFTPLUS, x);

export function pow(x: Tensor, exponent: number): Tensor {
  if (typeof exponent !== 'number' || Number.isNaN(exponent)) throw new TypeError(`pow: the exponent must be a number, got ${String(exponent)}`);
  return unary('pow', codes.POW, x, exponent, { exponent });
}

export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  return unary('leakyRelu', codes.LEAKY_RELU, x, negativeSlope, { negativeSlope });
}

export function elu(x: Tensor, alpha = 1): Tensor {
  return unary('elu', codes.ELU, x, alpha, { alpha });
}
