// elu(x; alpha p) = x for x > 0, p (e^x - 1) otherwise; backward from x and y: dy (y + p) where x <= 0.
import { vexpm1 } from '../math';
import { ld } from '../simd';
import { Unary, ZERO, unaryBackward, unaryForward, wherePositive } from '../unary';

class Elu extends Unary {
  // @ts-ignore: decorator
  @inline forward(x: v128, p: f32): v128 {
    // expm1's range: [-30, 0] is all the negative side needs (pmin and pmax keep NaN, their first operand).
    const negative = f32x4.pmax(f32x4.pmin(x, ZERO), f32x4.splat(-30));
    return wherePositive(x, x, f32x4.mul(f32x4.splat(p), vexpm1(negative)));
  }
  // @ts-ignore: decorator
  @inline backward(x: usize, y: usize, dy: v128, p: f32, full: bool): v128 { return wherePositive(ld(x, full), dy, f32x4.mul(dy, f32x4.add(ld(y, full), f32x4.splat(p)))); }
}

export function elu(n: i32, x: usize, y: usize, p: f32): void { unaryForward<Elu>(n, x, y, p); }
export function eluBackward(n: i32, x: usize, y: usize, dy: usize, dx: usize, p: f32): void { unaryBackward<Elu>(n, x, y, dy, dx, p); }
