import { loadPartial, storePartial } from './simd';

// Unary elementwise kernels, shared: each op (one file in unary/) is a class with its forward y = f(x; p) and
// its backward dx = dy * f'(x; p) side by side, and exports `name` and `nameBackward`, which run these loops
// with the op's methods inlined. p is the op's parameter (pow's exponent, leaky relu's slope, elu's alpha...).
// Backward reads x or y, whichever the derivative is cheaper and more accurate from; the caller passes 0 for
// the other, so an op's reference (src/reference/unary/) declares which it reads.

/** An elementwise op: a stateless class whose methods the loops inline (never instantiated). */
export abstract class Unary {
  /** y = f(x; p), four lanes. */
  abstract forward(x: v128, p: f32): v128;
  /** dy * f'(x; p), loading x or y (y = f(x)) with ld(ptr, full): four lanes, or one value where !full. */
  abstract backward(x: usize, y: usize, dy: v128, p: f32, full: bool): v128;
}

// @ts-ignore: decorator
@lazy export const ZERO = f32x4.splat(0);
// @ts-ignore: decorator
@lazy export const ONE = f32x4.splat(1);

/** Lanes where x > 0 take a, the rest b (NaN goes to b). */
// @ts-ignore: decorator
@inline export function wherePositive(x: v128, a: v128, b: v128): v128 {
  return v128.bitselect(a, b, f32x4.gt(x, ZERO));
}

/** y = Op(x; p) over n elements; y may alias x. */
// @ts-ignore: decorator
@inline export function unaryForward<Op extends Unary>(n: i32, x: usize, y: usize, p: f32): void {
  // The methods never read `this`: a null reference only picks them at compile time, and they inline.
  const op = changetype<Op>(0);
  let i = 0;
  // Four independent vectors per iteration: the transcendental ops are long dependency chains.
  for (; i + 16 <= n; i += 16) {
    const off = <usize>i * 4;
    const a = op.forward(v128.load(x + off), p);
    const b = op.forward(v128.load(x + off, 16), p);
    const c = op.forward(v128.load(x + off, 32), p);
    const d = op.forward(v128.load(x + off, 48), p);
    v128.store(y + off, a);
    v128.store(y + off, b, 16);
    v128.store(y + off, c, 32);
    v128.store(y + off, d, 48);
  }
  // The last 1-15 elements a vector at a time, the last one partial (lanes are independent: the same values).
  for (; i < n; i += 4) {
    const off = <usize>i * 4;
    const lanes = min(4, n - i);
    storePartial(y + off, op.forward(loadPartial(x + off, lanes), p), lanes);
  }
}

/** dx = dy * Op'(x; p) over n elements; dx may alias dy. */
// @ts-ignore: decorator
@inline export function unaryBackward<Op extends Unary>(n: i32, x: usize, y: usize, dy: usize, dx: usize, p: f32): void {
  const op = changetype<Op>(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = <usize>i * 4;
    v128.store(dx + off, op.backward(x + off, y + off, v128.load(dy + off), p, true));
  }
  for (; i < n; i++) {
    const off = <usize>i * 4;
    const g = f32x4.splat(load<f32>(dy + off));
    store<f32>(dx + off, f32x4.extract_lane(op.backward(x + off, y + off, g, p, false), 0));
  }
}
