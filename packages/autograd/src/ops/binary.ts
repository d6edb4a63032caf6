// Arithmetic with NumPy broadcasting and PyTorch's type promotion: int32 op int32 stays int32 (exact, wrapping
// on overflow), div and anything mixed with float32 give float32. Float32 runs forward through the 2-D
// broadcast kernel and backward by reducing the upstream gradient over the broadcast axes (sumTo). A number
// operand is a constant.
import { defineOp } from '../op';
import { allocate, record, recording, unrecorded, type RecordOptions, type Tensor } from '../tensor';
import { asFloat, broadcastBinary, broadcastOrThrow, checkOperand, floatInputs, sumTo, type Operand } from './internal/common';
import { constantLike } from './internal/constant';
import { contiguous } from './contiguous';
import { elementwise } from './internal/integer';

export type { Operand } from './internal/common';

/**
 * Runs `float` on float32 operands, promoting int32 ones, unless both are integers and the op has an int32
 * form (`int`), which then computes exactly.
 */
function promote(op: string, a: Tensor, b: Operand, int: ((x: number, y: number) => number) | null, float: (a: Tensor, b: Operand) => Tensor): Tensor {
  checkOperand(op, b);
  if (int && a.dtype === 'int32' && (typeof b === 'number' ? Number.isInteger(b) && b === (b | 0) : b.dtype === 'int32')) {
    return elementwise(op, a.live(op), b, typeof b === 'number' ? a.shape : broadcastOrThrow(op, a.shape, b.shape), 'int32', int);
  }
  return float(asFloat(a.live(op)), typeof b === 'number' ? b : asFloat(b.live(op)));
}

function binary(op: 'add' | 'sub' | 'mul' | 'div' | 'maximum' | 'minimum', a: Tensor, b: Tensor, grad: (dy: Tensor) => (Tensor | null)[], options?: RecordOptions): Tensor {
  const backend = floatInputs(op, [a, b]);
  const out = broadcastBinary(backend, op, a, b, broadcastOrThrow(op, a.shape, b.shape));
  return record(out, op, [a, b], grad, options);
}

/** x op p for a number p through a unary kernel (x + p, x * p): exact, and no constant tensor needed. */
function withScalar(op: string, kernel: 'shift' | 'scale', input: Tensor, p: number, grad: (dy: Tensor) => Tensor, saves: number[] = []): Tensor {
  const backend = floatInputs(op, [input]);
  const x = contiguous(input);
  const out = allocate(backend, x.shape, 'float32');
  backend.unary(kernel, x.size, x, out, p);
  const inputs = [x];
  return recording(inputs) ? record(out, op, inputs, (dy) => [grad(dy)], { saves, params: { scalar: p } }) : unrecorded(out, op);
}

export const add = defineOp({ name: 'add', gradient: 'recorded', kernels: ['add', 'shift'] }, (a: Tensor, b: Operand): Tensor => {
  return promote('add', a, b, (x, y) => (x + y) | 0, (a, b) => {
    if (typeof b === 'number') return withScalar('add', 'shift', a, b, (dy) => dy);
    const [as, bs] = [a.shape, b.shape];
    return binary('add', a, b, (dy) => [sumTo(dy, as), sumTo(dy, bs)]);
  });
});

export const sub = defineOp({ name: 'sub', gradient: 'recorded', kernels: ['sub', 'shift'] }, (a: Tensor, b: Operand): Tensor => {
  return promote('sub', a, b, (x, y) => (x - y) | 0, (a, b) => {
    if (typeof b === 'number') return withScalar('sub', 'shift', a, -b, (dy) => dy);
    const [as, bs] = [a.shape, b.shape];
    return binary('sub', a, b, (dy) => [sumTo(dy, as), sumTo(dy.neg(), bs)]);
  });
});

export const mul = defineOp({ name: 'mul', gradient: 'recorded', kernels: ['mul', 'scale'] }, (a: Tensor, b: Operand): Tensor => {
  return promote('mul', a, b, Math.imul, (a, b) => {
    // As PyTorch, a number factor counts as saved: a second backward through it needs retainGraph.
    if (typeof b === 'number') return withScalar('mul', 'scale', a, b, (dy) => dy.mul(b), [b]);
    // Each operand is saved only for the other's gradient.
    const [as, bs] = [a.shape, b.shape];
    const forA = a.requiresGrad ? b : null;
    const forB = b.requiresGrad ? a : null;
    return binary('mul', a, b, (dy) => [forA && sumTo(dy.mul(forA), as), forB && sumTo(dy.mul(forB), bs)], {
      saves: [forA, forB].filter((t) => t !== null),
    });
  });
});

export const div = defineOp({ name: 'div', gradient: 'recorded', kernels: ['div'] }, (a: Tensor, b: Operand): Tensor => {
  return promote('div', a, b, null, (a, b) => {
    const divisor = typeof b === 'number' ? constantLike(a, b) : b;
    const as = a.shape;
    const dividend = typeof b !== 'number' && b.requiresGrad ? a : null;
    // d(a/b)/da = 1/b, d(a/b)/db = -a/b^2
    return binary('div', a, divisor, (dy) => [
      sumTo(dy.div(divisor), as),
      dividend && sumTo(dy.mul(dividend).div(divisor).div(divisor).neg(), divisor.shape),
    ], { saves: [typeof b === 'number' ? b : divisor, ...(dividend ? [dividend] : [])] });
  });
});

/**
 * The gradient of maximum/minimum goes to the winner and ties split it evenly, as in PyTorch; so does its NaN
 * case: a NaN on either side makes neither side lose, and both take the whole gradient.
 */
function extremum(op: 'maximum' | 'minimum', a: Tensor, b: Operand): Tensor {
  const pick = op === 'maximum' ? Math.max : Math.min;
  return promote(op, a, b, pick, (a, b) => {
    const other = typeof b === 'number' ? constantLike(a, b) : b;
    const [as, bs] = [a.shape, other.shape];
    return binary(op, a, other, (dy) => {
      const [aLoses, bLoses] = op === 'maximum' ? [a.lt(other), a.gt(other)] : [a.gt(other), a.lt(other)];
      const halfOnTies = a.eq(other).mul(0.5);
      const share = (loses: Tensor): Tensor => loses.add(halfOnTies).neg().add(1);
      return [sumTo(dy.mul(share(aLoses)), as), typeof b === 'number' ? null : sumTo(dy.mul(share(bLoses)), bs)];
    }, { saves: [a, typeof b === 'number' ? b : other] });
  });
}

export const maximum = defineOp({ name: 'maximum', gradient: 'recorded', kernels: ['maximum'] }, (a: Tensor, b: Operand): Tensor => {
  return extremum('maximum', a, b);
});

export const minimum = defineOp({ name: 'minimum', gradient: 'recorded', kernels: ['minimum'] }, (a: Tensor, b: Operand): Tensor => {
  return extremum('minimum', a, b);
});
