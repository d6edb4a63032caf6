// Arithmetic with NumPy broadcasting: forward through the 2-D broadcast kernel, backward by reducing the
// upstream gradient over the broadcast axes (sumTo). A number operand is a constant.
import { ops as codes } from '@backprop/kernels';
import { allocate, record, type Tensor } from '../tensor';
import { broadcastBinary, broadcastOrThrow, floatInputs, sumTo } from './common';
import { constantLike } from './constant';

export type Operand = Tensor | number;

function binary(op: string, code: number, a: Tensor, b: Tensor, grad: (dy: Tensor, out: Tensor) => (Tensor | null)[]): Tensor {
  const backend = floatInputs(op, [a, b]);
  const out = broadcastBinary(backend, code, a, b, broadcastOrThrow(op, a.shape, b.shape));
  return record(out, op, [a, b], (dy) => grad(dy, out));
}

/** x op p for a number p through a unary kernel (x + p, x * p): exact, and no constant tensor needed. */
function withScalar(op: string, code: number, x: Tensor, p: number, grad: (dy: Tensor) => Tensor): Tensor {
  const backend = floatInputs(op, [x]);
  const out = allocate(backend, x.shape, 'float32', true);
  backend.unary(code, x.size, x, out, p);
  return record(out, op, [x], (dy) => [grad(dy)], { scalar: p });
}

export function add(a: Tensor, b: Operand): Tensor {
  if (typeof b === 'number') return withScalar('add', codes.SHIFT, a, b, (dy) => dy);
  return binary('add', codes.ADD, a, b, (dy) => [sumTo(dy, a.shape), sumTo(dy, b.shape)]);
}

export function sub(a: Tensor, b: Operand): Tensor {
  if (typeof b === 'number') return withScalar('sub', codes.SHIFT, a, -b, (dy) => dy);
  return binary('sub', codes.SUB, a, b, (dy) => [sumTo(dy, a.shape), sumTo(dy.neg(), b.shape)]);
}

export function mul(a: Tensor, b: Operand): Tensor {
  if (typeof b === 'number') return withScalar('mul', codes.SCALE, a, b, (dy) => dy.mul(b));
  return binary('mul', codes.MUL, a, b, (dy) => [sumTo(dy.mul(b), a.shape), sumTo(dy.mul(a), b.shape)]);
}

export function div(a: Tensor, b: Operand): Tensor {
  const divisor = typeof b === 'number' ? constantLike(a, b) : b;
  // d(a/b)/db = -a/b^2 = -y/b
  return binary('div', codes.DIV, a, divisor, (dy, y) => [sumTo(dy.div(divisor), a.shape), typeof b === 'number' ? null : sumTo(dy.mul(y).div(divisor).neg(), b.shape)]);
}

/** The gradient of maximum/minimum goes to the winner; ties split it evenly, as in PyTorch. */
function extremum(op: 'maximum' | 'minimum', a: Tensor, b: Operand): Tensor {
  const other = typeof b === 'number' ? constantLike(a, b) : b;
  const code = op === 'maximum' ? codes.MAXIMUM : codes.MINIMUM;
  return binary(op, code, a, other, (dy) => {
    const wins = op === 'maximum' ? a.gt(other) : a.lt(other);
    const share = wins.add(a.eq(other).mul(0.5));
    return [sumTo(dy.mul(share), a.shape), typeof b === 'number' ? null : sumTo(dy.mul(share.neg().add(1)), b.shape)];
  });
}

export function maximum(a: Tensor, b: Operand): Tensor {
  return extremum('maximum', a, b);
}

export function minimum(a: Tensor, b: Operand): Tensor {
  return extremum('minimum', a, b);
}
