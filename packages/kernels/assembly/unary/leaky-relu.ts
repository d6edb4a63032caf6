// leakyRelu(x; slope p) = x for x > 0, p x otherwise; backward from x.
import { ld } from '../simd';
import { Unary, unaryBackward, unaryForward, wherePositive } from '../unary';

class LeakyRelu extends Unary {
  // @ts-ignore: decorator
  @inline forward(x: v128, p: f32): v128 { return wherePositive(x, x, f32x4.mul(x, f32x4.splat(p))); }
  // @ts-ignore: decorator
  @inline backward(x: usize, y: usize, dy: v128, p: f32, full: bool): v128 { return wherePositive(ld(x, full), dy, f32x4.mul(dy, f32x4.splat(p))); }
}

export function leakyRelu(n: i32, x: usize, y: usize, p: f32): void { unaryForward<LeakyRelu>(n, x, y, p); }
export function leakyReluBackward(n: i32, x: usize, y: usize, dy: usize, dx: usize, p: f32): void { unaryBackward<LeakyRelu>(n, x, y, dy, dx, p); }
