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
    // pmax(0, x) is one instruction; NaN lanes give 0 there, so restore them.
    case RELU: return v128.bitselect(x, f32x4.pmax(ZERO, x), f32x4.ne(x, x));
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
    case POW: return f32x4.mul(g, f32x4.mul(f32x4.splat(p), vpow(ld(x, full), p - 1)));
    case SIGMOID: { const v = ld(y, full); return f32x4.mul(g, f32x4.mul(v, f32x4.sub(ONE, v))); }
    case TANH: { const v = ld(y, full); return f32x4.mul(g, f32x4.sub(ONE, f32x4.mul(v, v))); }
    case RELU: return v128.and(g, f32x4.gt(ld(x, full), ZERO));
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

/** y = op(x; p) over n elements. y may alias x. */
export function unary(op: i32, n: i32, x: usize, y: usize, p: f32): void {
  switch (op) {
    case NEG: forwardLoop(NEG, n, x, y, p); break;
    case ABS: forwardLoop(ABS, n, x, y, p); break;
    case SQUARE: forwardLoop(SQUARE, n, x, y, p); break;
    case SQRT: forwardLoop(SQRT, n, x, y, p); break;
    case EXP: forwardLoop(EXP, n, x, y, p); break;
    case LOG: forwardLoop(LOG, n, x, y, p); break;
    case POW: forwardLoop(POW, n, x, y, p); break;
    case SIGMOID: forwardLoop(SIGMOID, n, x, y, p); break;
    case TANH: forwardLoop(TANH, n, x, y, p); break;
    case RELU: forwardLoop(RELU, n, x, y, p); break;
    case LEAKY_RELU: forwardLoop(LEAKY_RELU, n, x, y, p); break;
    case ELU: forwardLoop(ELU, n, x, y, p); break;
    case SOFTPLUS: forwardLoop(SOFTPLUS, n, x, y, p); break;
    case SCALE: forwardLoop(SCALE, n, x, y, p); break;
    case SHIFT: forwardLoop(SHIFT, n, x, y, p); break;
    default: unreachable();
  }
}

/** dx = dy * op'(x; p), from x or y as each op needs. dx may alias dy. */
export function unaryBackward(op: i32, n: i32, x: usize, y: usize, dy: usize, dx: usize, p: f32): void {
  switch (op) {
    case NEG: backwardLoop(NEG, n, x, y, dy, dx, p); break;
    case ABS: backwardLoop(ABS, n, x, y, dy, dx, p); break;
    case SQUARE: backwardLoop(SQUARE, n, x, y, dy, dx, p); break;
    case SQRT: backwardLoop(SQRT, n, x, y, dy, dx, p); break;
    case EXP: backwardLoop(EXP, n, x, y, dy, dx, p); break;
    case LOG: backwardLoop(LOG, n, x, y, dy, dx, p); break;
    case POW: backwardLoop(POW, n, x, y, dy, dx, p); break;
    case SIGMOID: backwardLoop(SIGMOID, n, x, y, dy, dx, p); break;
    case TANH: backwardLoop(TANH, n, x, y, dy, dx, p); break;
    case RELU: backwardLoop(RELU, n, x, y, dy, dx, p); break;
    case LEAKY_RELU: backwardLoop(LEAKY_RELU, n, x, y, dy, dx, p); break;
    case ELU: backwardLoop(ELU, n, x, y, dy, dx, p); break;
    case SOFTPLUS: backwardLoop(SOFTPLUS, n, x, y, dy, dx, p); break;
    case SCALE: backwardLoop(SCALE, n, x, y, dy, dx, p); break;
    case SHIFT: backwardLoop(SHIFT, n, x, y, dy, dx, p); break;
    default: unreachable();
  }
}
