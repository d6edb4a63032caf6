// neg(x) = -x.
import { Unary, unaryBackward, unaryForward } from '../unary';

class Neg extends Unary {
  // @ts-ignore: decorator
  @inline forward(x: v128, p: f32): v128 { return f32x4.neg(x); }
  // @ts-ignore: decorator
  @inline backward(x: usize, y: usize, dy: v128, p: f32, full: bool): v128 { return f32x4.neg(dy); }
}

export function neg(n: i32, x: usize, y: usize, p: f32): void { unaryForward<Neg>(n, x, y, p); }
export function negBackward(n: i32, x: usize, y: usize, dy: usize, dx: usize, p: f32): void { unaryBackward<Neg>(n, x, y, dy, dx, p); }
