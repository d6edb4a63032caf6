// exp(x); backward from y: dy * y.
import { vexp } from '../math';
import { ld } from '../simd';
import { Unary, unaryBackward, unaryForward } from '../unary';

class Exp extends Unary {
  // @ts-ignore: decorator
  @inline forward(x: v128, p: f32): v128 { return vexp(x); }
  // @ts-ignore: decorator
  @inline backward(x: usize, y: usize, dy: v128, p: f32, full: bool): v128 { return f32x4.mul(dy, ld(y, full)); }
}

export function exp(n: i32, x: usize, y: usize, p: f32): void { unaryForward<Exp>(n, x, y, p); }
export function expBackward(n: i32, x: usize, y: usize, dy: usize, dx: usize, p: f32): void { unaryBackward<Exp>(n, x, y, dy, dx, p); }
