// scale(x; p) = p x: multiplication by a number.
import { Unary, unaryBackward, unaryForward } from '../unary';

class Scale extends Unary {
  // @ts-ignore: decorator
  @inline forward(x: v128, p: f32): v128 { return f32x4.mul(x, f32x4.splat(p)); }
  // @ts-ignore: decorator
  @inline backward(x: usize, y: usize, dy: v128, p: f32, full: bool): v128 { return f32x4.mul(dy, f32x4.splat(p)); }
}

export function scale(n: i32, x: usize, y: usize, p: f32): void { unaryForward<Scale>(n, x, y, p); }
export function scaleBackward(n: i32, x: usize, y: usize, dy: usize, dx: usize, p: f32): void { unaryBackward<Scale>(n, x, y, dy, dx, p); }
