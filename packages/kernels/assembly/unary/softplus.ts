// softplus(x) = log(1 + e^x), without overflow; backward from x: dy sigmoid(x).
import { vsigmoid, vsoftplus } from '../math';
import { ld } from '../simd';
import { Unary, unaryBackward, unaryForward } from '../unary';

class Softplus extends Unary {
  // @ts-ignore: decorator
  @inline forward(x: v128, p: f32): v128 { return vsoftplus(x); }
  // @ts-ignore: decorator
  @inline backward(x: usize, y: usize, dy: v128, p: f32, full: bool): v128 { return f32x4.mul(dy, vsigmoid(ld(x, full))); }
}

export function softplus(n: i32, x: usize, y: usize, p: f32): void { unaryForward<Softplus>(n, x, y, p); }
export function softplusBackward(n: i32, x: usize, y: usize, dy: usize, dx: usize, p: f32): void { unaryBackward<Softplus>(n, x, y, dy, dx, p); }
