// Unary elementwise ops, forward and backward side by side: y = f(x; p) and dx = dy * f'(x; p).
// Backward reads x or y, whichever the derivative is cheaper and more accurate from (pass 0 for the other).
// p is the op's parameter: the exponent of POW, the slope of LEAKY_RELU, alpha of ELU, the factor of SCALE,
// the addend of SHIFT.
import { vexp, vexpm1, vlog, vsigmoid, vsoftplus, vtanh } from './math';
import { ld } from './simd';
import { NEG, ABS, SQUARE, SQRT, EXP, LOG, POW, SIGMOID, TANH, RELU, LEAKY_RELU, ELU, SOFTPLUS, SCALE, SHIFT } from './opcodes';


// @ts-ignore: decorator
@lazy const ZERO = f32x4.splat(0);
// @ts-ignore: decorator
@lazy const ONE = f32x4.splat(1);

/** x^p lane by lane (std::pow semantics: negative x with integer p is fine, with fractional p NaN). */
// @ts-ignore: decorator
@inline function vpow(x: v128, p: f32): v128 {
  const e = <f64>p;
  let r = f32x4.splat(<f32>Math.pow(<f64>f32x4.extract_lane(x, 0), e));
  r = f32x4.replace_lane(r, 1, <f32>Math.pow(<f64>f32x4.extract_lane(x, 1), e));
  r = f32x4.replace_lane(r, 2, <f32>Math.pow(<f64>f32x4.extract_lane(x, 2), e));
  return f32x4.replace_lane(r, 3, <f32>Math.pow(<f64>f32x4.extract_lane(x, 3), e));
}

/** Lanes where x > 0 take a, the rest b (NaN goes to b). */
// @ts-ignore: decorator
@inline function wherePositive(x: v128, a: v128, b: v128): v128 {
  return v128.bitselect(a, b, f32x4.gt(x, ZERO));
}

// @ts-ignore: decorator
@inline function forward(op: i32, x: v128, p: f32): v128 {
  switch (op) {
    case NEG: return f32x4.neg(x);
    case ABS: return f32x4.abs(x);
    case SQUARE: return f32x4.mul(x, x);
    case SQRT: return f32x4.sqrt(x);
    case EXP: return vexp(x);
    case LOG: return vlog(x);
    case POW: return vpow(x, p);
    case SIGMOID: return vsigmoid(x);
    case TANH: return vtanh(x);
    // pmax(x, 0) is one instruction and, with x first, keeps NaN.
    case RELU: return f32x4.pmax(x, ZERO);
    case LEAKY_RELU: return wherePositive(x, x, f32x4.mul(x, f32x4.splat(p)));
    case ELU: return wherePositive(x, x, f32x4.mul(f32x4.splat(p), vexpm1(x)));
    case SOFTPLUS: return vsoftplus(x);
    case SCALE: return f32x4.mul(x, f32x4.splat(p));
    default: return f32x4.add(x, f32x4.splat(p));
  }
}

// @ts-ignore: decorator
@inline function backward(op: i32, x: usize, y: usize, g: v128, p: f32, full: bool): v128 {
  switch (op) {
    case NEG: return f32x4.neg(g);
    case ABS: {
      const v = ld(x, full);
      const sign = v128.or(v128.and(v, i32x4.splat(0x80000000)), ONE);
      return v128.and(f32x4.mul(g, sign), f32x4.ne(v, ZERO)); // d|x|/dx = sign(x), 0 at 0
    }
    case SQUARE: return f32x4.mul(g, f32x4.add(ld(x, full), ld(x, full)));
    case SQRT: { const v = ld(y, full); return f32x4.div(g, f32x4.add(v, v)); }
    case EXP: return f32x4.mul(g, ld(y, full));
    case LOG: return f32x4.div(g, ld(x, full));
    // d x^0 / dx is 0 everywhere, including x = 0 where 0 * x^-1 would be NaN (PyTorch's rule).
    case POW: return p == 0 ? ZERO : f32x4.mul(g, f32x4.mul(f32x4.splat(p), vpow(ld(x, full), p - 1)));
    case SIGMOID: { const v = ld(y, full); return f32x4.mul(g, f32x4.mul(v, f32x4.sub(ONE, v))); }
    case TANH: { const v = ld(y, full); return f32x4.mul(g, f32x4.sub(ONE, f32x4.mul(v, v))); }
    // From y (y > 0 exactly where x > 0), as PyTorch saves relu's result rather than its input.
    case RELU: return v128.and(g, f32x4.gt(ld(y, full), ZERO));
    case LEAKY_RELU: return wherePositive(ld(x, full), g, f32x4.mul(g, f32x4.splat(p)));
    case ELU: return wherePositive(ld(x, full), g, f32x4.mul(g, f32x4.add(ld(y, full), f32x4.splat(p))));
    case SOFTPLUS: return f32x4.mul(g, vsigmoid(ld(x, full)));
    case SCALE: return f32x4.mul(g, f32x4.splat(p));
    default: return g;
  }
}

// @ts-ignore: decorator
@inline function forwardLoop(op: i32, n: i32, x: usize, y: usize, p: f32): void {
  let i = 0;
  // Four independent vectors per iteration: the transcendental ops are long dependency chains.
  for (; i + 16 <= n; i += 16) {
    const off = <usize>i * 4;
    const a = forward(op, v128.load(x + off), p);
    const b = forward(op, v128.load(x + off, 16), p);
    const c = forward(op, v128.load(x + off, 32), p);
    const d = forward(op, v128.load(x + off, 48), p);
    v128.store(y + off, a);
    v128.store(y + off, b, 16);
    v128.store(y + off, c, 32);
    v128.store(y + off, d, 48);
  }
  for (; i + 4 <= n; i += 4) {
    const off = <usize>i * 4;
    v128.store(y + off, forward(op, v128.load(x + off), p));
  }
  for (; i < n; i++) {
    const off = <usize>i * 4;
    store<f32>(y + off, f32x4.extract_lane(forward(op, f32x4.splat(load<f32>(x + off)), p), 0));
  }
}

// @ts-ignore: decorator
@inline function backwardLoop(op: i32, n: i32, x: usize, y: usize, dy: usize, dx: usize, p: f32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = <usize>i * 4;
    v128.store(dx + off, backward(op, x + off, y + off, v128.load(dy + off), p, true));
  }
  for (; i < n; i++) {
    const off = <usize>i * 4;
    const g = f32x4.splat(load<f32>(dy + off));
    store<f32>(dx + off, f32x4.extract_lane(backward(op, x + off, y + off, g, p, false), 0));
  }
}

// One exported function per op and direction: each loop is compiled on its own, with its op folded in.
// (One dispatcher with a switch lets the optimiser merge the loops back into one with a per-vector br_table.)
// Forward: y = op(x; p) over n elements, y may alias x. Backward: dx = dy * op'(x; p), dx may alias dy.
export function neg(n: i32, x: usize, y: usize, p: f32): void { forwardLoop(NEG, n, x, y, p); }
export function negBackward(n: i32, x: usize, y: usize, dy: usize, dx: usize, p: f32): void { backwardLoop(NEG, n, x, y, dy, dx, p); }
export function abs(n: i32, x: usize, y: usize, p: f32): void { forwardLoop(ABS, n, x, y, p); }
export function absBackward(n: i32, x: usize, y: usize, dy: usize, dx: usize, p: f32): void { backwardLoop(ABS, n, x, y, dy, dx, p); }
export function square(n: i32, x: usize, y: usize, p: f32): void { forwardLoop(SQUARE, n, x, y, p); }
export function squareBackward(n: i32, x: usize, y: usize, dy: usize, dx: usize, p: f32): void { backwardLoop(SQUARE, n, x, y, dy, dx, p); }
export function sqrt(n: i32, x: usize, y: usize, p: f32): void { forwardLoop(SQRT, n, x, y, p); }
export function sqrtBackward(n: i32, x: usize, y: usize, dy: usize, dx: usize, p: f32): void { backwardLoop(SQRT, n, x, y, dy, dx, p); }
export function exp(n: i32, x: usize, y: usize, p: f32): void { forwardLoop(EXP, n, x, y, p); }
export function expBackward(n: i32, x: usize, y: usize, dy: usize, dx: usize, p: f32): void { backwardLoop(EXP, n, x, y, dy, dx, p); }
export function log(n: i32, x: usize, y: usize, p: f32): void { forwardLoop(LOG, n, x, y, p); }
export function logBackward(n: i32, x: usize, y: usize, dy: usize, dx: usize, p: f32): void { backwardLoop(LOG, n, x, y, dy, dx, p); }
export function pow(n: i32, x: usize, y: usize, p: f32): void { forwardLoop(POW, n, x, y, p); }
export function powBackward(n: i32, x: usize, y: usize, dy: usize, dx: usize, p: f32): void { backwardLoop(POW, n, x, y, dy, dx, p); }
export function sigmoid(n: i32, x: usize, y: usize, p: f32): void { forwardLoop(SIGMOID, n, x, y, p); }
export function sigmoidBackward(n: i32, x: usize, y: usize, dy: usize, dx: usize, p: f32): void { backwardLoop(SIGMOID, n, x, y, dy, dx, p); }
export function tanh(n: i32, x: usize, y: usize, p: f32): void { forwardLoop(TANH, n, x, y, p); }
export function tanhBackward(n: i32, x: usize, y: usize, dy: usize, dx: usize, p: f32): void { backwardLoop(TANH, n, x, y, dy, dx, p); }
export function relu(n: i32, x: usize, y: usize, p: f32): void { forwardLoop(RELU, n, x, y, p); }
export function reluBackward(n: i32, x: usize, y: usize, dy: usize, dx: usize, p: f32): void { backwardLoop(RELU, n, x, y, dy, dx, p); }
export function leakyRelu(n: i32, x: usize, y: usize, p: f32): void { forwardLoop(LEAKY_RELU, n, x, y, p); }
export function leakyReluBackward(n: i32, x: usize, y: usize, dy: usize, dx: usize, p: f32): void { backwardLoop(LEAKY_RELU, n, x, y, dy, dx, p); }
export function elu(n: i32, x: usize, y: usize, p: f32): void { forwardLoop(ELU, n, x, y, p); }
export function eluBackward(n: i32, x: usize, y: usize, dy: usize, dx: usize, p: f32): void { backwardLoop(ELU, n, x, y, dy, dx, p); }
export function softplus(n: i32, x: usize, y: usize, p: f32): void { forwardLoop(SOFTPLUS, n, x, y, p); }
export function softplusBackward(n: i32, x: usize, y: usize, dy: usize, dx: usize, p: f32): void { backwardLoop(SOFTPLUS, n, x, y, dy, dx, p); }
export function scale(n: i32, x: usize, y: usize, p: f32): void { forwardLoop(SCALE, n, x, y, p); }
export function scaleBackward(n: i32, x: usize, y: usize, dy: usize, dx: usize, p: f32): void { backwardLoop(SCALE, n, x, y, dy, dx, p); }
export function shift(n: i32, x: usize, y: usize, p: f32): void { forwardLoop(SHIFT, n, x, y, p); }
export function shiftBackward(n: i32, x: usize, y: usize, dy: usize, dx: usize, p: f32): void { backwardLoop(SHIFT, n, x, y, dy, dx, p); }
