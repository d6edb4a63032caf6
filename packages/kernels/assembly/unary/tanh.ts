// tanh(x); backward from y: dy (1 - y^2).
import { vtanh } from '../math';
import { ld } from '../simd';
import { Unary, unaryBackward, unaryForward, ONE } from '../unary';

class Tanh extends Unary {
  // @ts-ignore: decorator
  @inline forward(x: v128, p: f32): v128 { return vtanh(x); }
  // @ts-ignore: decorator
  @inline backward(x: usize, y: usize, dy: v128, p: f32, full: bool): v128 {
    const v = ld(y, full);
    return f32x4.mul(dy, f32x4.sub(ONE, f32x4.mul(v, v)));
  }
}

export function tanh(n: i32, x: usize, y: usize, p: f32): void { unaryForward<Tanh>(n, x, y, p); }
export function tanhBackward(n: i32, x: usize, y: usize, dy: usize, dx: usize, p: f32): void { unaryBackward<Tanh>(n, x, y, dy, dx, p); }
