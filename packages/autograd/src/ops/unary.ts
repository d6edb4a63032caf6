// Elementwise math and activations: one kernel each way. Each op saves what its backward kernel reads, x or
// y (the output), as PyTorch saves it. On int32 input, neg, abs, square, relu and integer powers stay int32;
// the floating-point functions (exp, log, sqrt, sigmoid, tanh) compute on the values as float32, as PyTorch
// promotes them; the rest need float32.
import { ops as codes } from '@backprop/kernels';
import { DTypeError } from '../errors';
import { allocate, record, type Tensor } from '../tensor';
import { asFloat, floatInputs } from './common';
import { contiguous } from './contiguous';
import { intPow, map } from './integer';

/** Which values the backward kernel reads besides dy. */
type Reads = 'x' | 'y' | 'both' | 'neither';

function unary(op: string, code: number, input: Tensor, reads: Reads, p = 0, params?: Record<string, unknown>): Tensor {
  const backend = floatInputs(op, [input]);
  const x = contiguous(input);
  const y = allocate(backend, x.shape, 'float32');
  backend.unary(code, x.size, x, y, p);
  const savedX = reads === 'x' || reads === 'both' ? x : null;
  const savedY = reads === 'y' || reads === 'both' ? y : null;
  const [shape, n] = [x.shape, x.size];
  return record(y, op, [x], (dy) => {
    const dx = allocate(backend, shape, 'float32');
    backend.unaryBackward(code, n, savedX, savedY, dy, dx, p);
    return [dx];
  }, { saves: [savedX, savedY].filter((t) => t !== null), ...(params ? { params } : {}) });
}

/** An op that keeps int32 as int32 (with `int` computing it exactly) and runs the kernel on float32. */
function closedOverInts(op: string, code: number, reads: Reads, int: (v: number) => number) {
  return (x: Tensor): Tensor => (x.dtype === 'int32' ? map(op, x.live(op), int) : unary(op, code, x, reads));
}

export const neg = closedOverInts('neg', codes.NEG, 'neither', (v) => -v | 0);
export const abs = closedOverInts('abs', codes.ABS, 'x', (v) => Math.abs(v) | 0);
export const square = closedOverInts('square', codes.SQUARE, 'x', (v) => Math.imul(v, v));
export const relu = closedOverInts('relu', codes.RELU, 'y', (v) => Math.max(v, 0));
export const sqrt = (x: Tensor): Tensor => unary('sqrt', codes.SQRT, asFloat(x.live('sqrt')), 'y');
export const exp = (x: Tensor): Tensor => unary('exp', codes.EXP, asFloat(x.live('exp')), 'y');
export const log = (x: Tensor): Tensor => unary('log', codes.LOG, asFloat(x.live('log')), 'x');
export const sigmoid = (x: Tensor): Tensor => unary('sigmoid', codes.SIGMOID, asFloat(x.live('sigmoid')), 'y');
export const tanh = (x: Tensor): Tensor => unary('tanh', codes.TANH, asFloat(x.live('tanh')), 'y');
export const softplus = (x: Tensor): Tensor => unary('softplus', codes.SOFTPLUS, x, 'x');

/** x^exponent; int32 to a non-negative integer power stays int32. */
export function pow(x: Tensor, exponent: number): Tensor {
  if (typeof exponent !== 'number' || Number.isNaN(exponent)) throw new TypeError(`pow: the exponent must be a number, got ${String(exponent)}`);
  if (x.live('pow').dtype === 'int32' && Number.isInteger(exponent)) {
    if (exponent < 0) throw new DTypeError(`pow: an int32 tensor to the negative power ${exponent} is not an integer (PyTorch refuses it too): use x.float().pow(${exponent})`);
    return map('pow', x, (v) => intPow(v, exponent));
  }
  return unary('pow', codes.POW, asFloat(x), 'x', exponent, { exponent });
}

export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  if (typeof negativeSlope !== 'number') throw new TypeError(`leakyRelu: negativeSlope must be a number, got ${typeof negativeSlope}`);
  return unary('leakyRelu', codes.LEAKY_RELU, x, 'x', negativeSlope, { negativeSlope });
}

export function elu(x: Tensor, alpha = 1): Tensor {
  if (typeof alpha !== 'number') throw new TypeError(`elu: alpha must be a number, got ${typeof alpha}`);
  return unary('elu', codes.ELU, x, 'both', alpha, { alpha });
}
