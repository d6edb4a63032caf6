// sigmoid(x) = 1 / (1 + e^-x); backward from y: dy * y (1 - y).
import { vsigmoidNearFirst } from '../math';
import { ld } from '../simd';
import { Unary, unaryBackward, unaryForward, ONE } from '../unary';

class Sigmoid extends Unary {
  // @ts-ignore: decorator
  @inline forward(x: v128, p: f32): v128 { return vsigmoidNearFirst(x); }
  // @ts-ignore: decorator
  @inline backward(x: usize, y: usize, dy: v128, p: f32, full: bool): v128 {
    const v = ld(y, full);
    return f32x4.mul(dy, f32x4.mul(v, f32x4.sub(ONE, v)));
  }
}

export function sigmoid(n: i32, x: usize, y: usize, p: f32): void { unaryForward<Sigmoid>(n, x, y, p); }
export function sigmoidBackward(n: i32, x: usize, y: usize, dy: usize, dx: usize, p: f32): void { unaryBackward<Sigmoid>(n, x, y, dy, dx, p); }
