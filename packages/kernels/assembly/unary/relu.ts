// relu(x) = max(x, 0). Backward from y (y > 0 exactly where x > 0), as PyTorch saves relu's result.
import { ld } from '../simd';
import { Unary, unaryBackward, unaryForward, ZERO } from '../unary';

class Relu extends Unary {
  // pmax is one instruction and, with x first, keeps NaN.
  // @ts-ignore: decorator
  @inline forward(x: v128, p: f32): v128 { return f32x4.pmax(x, ZERO); }
  // @ts-ignore: decorator
  @inline backward(x: usize, y: usize, dy: v128, p: f32, full: bool): v128 { return v128.and(dy, f32x4.gt(ld(y, full), ZERO)); }
}

export function relu(n: i32, x: usize, y: usize, p: f32): void { unaryForward<Relu>(n, x, y, p); }
export function reluBackward(n: i32, x: usize, y: usize, dy: usize, dx: usize, p: f32): void { unaryBackward<Relu>(n, x, y, dy, dx, p); }
