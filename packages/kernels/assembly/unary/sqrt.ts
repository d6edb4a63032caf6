// sqrt(x); backward from y: dy / 2y.
import { ld } from '../simd';
import { Unary, unaryBackward, unaryForward } from '../unary';

class Sqrt extends Unary {
  // @ts-ignore: decorator
  @inline forward(x: v128, p: f32): v128 { return f32x4.sqrt(x); }
  // @ts-ignore: decorator
  @inline backward(x: usize, y: usize, dy: v128, p: f32, full: bool): v128 {
    const v = ld(y, full);
    return f32x4.div(dy, f32x4.add(v, v));
  }
}

export function sqrt(n: i32, x: usize, y: usize, p: f32): void { unaryForward<Sqrt>(n, x, y, p); }
export function sqrtBackward(n: i32, x: usize, y: usize, dy: usize, dx: usize, p: f32): void { unaryBackward<Sqrt>(n, x, y, dy, dx, p); }
