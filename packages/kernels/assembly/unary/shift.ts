// shift(x; p) = x + p: addition of a number.
import { Unary, unaryBackward, unaryForward } from '../unary';

class Shift extends Unary {
  // @ts-ignore: decorator
  @inline forward(x: v128, p: f32): v128 { return f32x4.add(x, f32x4.splat(p)); }
  // @ts-ignore: decorator
  @inline backward(x: usize, y: usize, dy: v128, p: f32, full: bool): v128 { return dy; }
}

export function shift(n: i32, x: usize, y: usize, p: f32): void { unaryForward<Shift>(n, x, y, p); }
export function shiftBackward(n: i32, x: usize, y: usize, dy: usize, dx: usize, p: f32): void { unaryBackward<Shift>(n, x, y, dy, dx, p); }
