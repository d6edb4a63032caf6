// square(x) = x * x; backward from x.
import { ld } from '../simd';
import { Unary, unaryBackward, unaryForward } from '../unary';

class Square extends Unary {
  // @ts-ignore: decorator
  @inline forward(x: v128, p: f32): v128 { return f32x4.mul(x, x); }
  // @ts-ignore: decorator
  @inline backward(x: usize, y: usize, dy: v128, p: f32, full: bool): v128 { return f32x4.mul(dy, f32x4.add(ld(x, full), ld(x, full))); }
}

export function square(n: i32, x: usize, y: usize, p: f32): void { unaryForward<Square>(n, x, y, p); }
export function squareBackward(n: i32, x: usize, y: usize, dy: usize, dx: usize, p: f32): void { unaryBackward<Square>(n, x, y, dy, dx, p); }
