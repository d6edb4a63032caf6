import type { FloatArray } from './types';
import {
  ABS, ELU, EXP, LEAKY_RELU, LOG, NEG, POW, RELU, SCALE, SHIFT, SIGMOID, SOFTPLUS, SQRT, SQUARE, TANH,
} from '../opcodes';

function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** y = op(x; p), computed in float64 and rounded once: the exact answer the kernels approximate. */
export function applyUnary(op: number, x: number, p: number): number {
  switch (op) {
    case NEG: return -x;
    case ABS: return Math.abs(x);
    case SQUARE: return x * x;
    case SQRT: return Math.sqrt(x);
    case EXP: return Math.exp(x);
    case LOG: return Math.log(x);
    case POW: return Math.pow(x, p);
    case SIGMOID: return sigmoid(x);
    case TANH: return Math.tanh(x);
    case RELU: return Number.isNaN(x) ? x : Math.max(0, x);
    case LEAKY_RELU: return x > 0 ? x : x * p;
    case ELU: return x > 0 ? x : p * Math.expm1(x);
    case SOFTPLUS: return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    case SCALE: return x * p;
    case SHIFT: return x + p;
    default: throw new RangeError(`unknown unary op ${op}`);
  }
}

/** d op(x; p) / dx times dy, from x or y (y = op(x)) as the kernel does. */
export function applyUnaryBackward(op: number, x: number, y: number, dy: number, p: number): number {
  switch (op) {
    case NEG: return -dy;
    case ABS: return x === 0 ? 0 : dy * Math.sign(x);
    case SQUARE: return dy * 2 * x;
    case SQRT: return dy / (2 * y);
    case EXP: return dy * y;
    case LOG: return dy / x;
    case POW: return p === 0 ? 0 : dy * p * Math.pow(x, p - 1);
    case SIGMOID: return dy * y * (1 - y);
    case TANH: return dy * (1 - y * y);
    case RELU: return y > 0 ? dy : 0;
    case LEAKY_RELU: return x > 0 ? dy : dy * p;
    case ELU: return x > 0 ? dy : dy * (y + p);
    case SOFTPLUS: return dy * sigmoid(x);
    case SCALE: return dy * p;
    case SHIFT: return dy;
    default: throw new RangeError(`unknown unary op ${op}`);
  }
}

// The kernels take p as float32: round it the same way.
export function unary(op: number, n: number, x: FloatArray, y: FloatArray, p: number): void {
  for (let i = 0; i < n; i++) y[i] = applyUnary(op, x[i]!, Math.fround(p));
}

export function unaryBackward(
  op: number, n: number, x: FloatArray, y: FloatArray, dy: FloatArray, dx: FloatArray, p: number,
): void {
  for (let i = 0; i < n; i++) dx[i] = applyUnaryBackward(op, x[i]!, y[i]!, dy[i]!, Math.fround(p));
}
