// abs(x) = |x|; its derivative is sign(x), 0 at x = 0 (PyTorch's choice).
import { ld } from '../simd';
import { Unary, unaryBackward, unaryForward, ONE, ZERO } from '../unary';

class Abs extends Unary {
  // @ts-ignore: decorator
  @inline forward(x: v128, p: f32): v128 { return f32x4.abs(x); }
  // @ts-ignore: decorator
  @inline backward(x: usize, y: usize, dy: v128, p: f32, full: bool): v128 {
    const v = ld(x, full);
    const sign = v128.or(v128.and(v, i32x4.splat(0x80000000)), ONE);
    return v128.and(f32x4.mul(dy, sign), f32x4.ne(v, ZERO)); // sign(x), and 0 at 0 as PyTorch
  }
}

export function abs(n: i32, x: usize, y: usize, p: f32): void { unaryForward<Abs>(n, x, y, p); }
export function absBackward(n: i32, x: usize, y: usize, dy: usize, dx: usize, p: f32): void { unaryBackward<Abs>(n, x, y, dy, dx, p); }
