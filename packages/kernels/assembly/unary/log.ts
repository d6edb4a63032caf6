// log(x); backward from x: dy / x.
import { vlog } from '../math';
import { ld } from '../simd';
import { Unary, unaryBackward, unaryForward } from '../unary';

class Log extends Unary {
  // @ts-ignore: decorator
  @inline forward(x: v128, p: f32): v128 { return vlog(x); }
  // @ts-ignore: decorator
  @inline backward(x: usize, y: usize, dy: v128, p: f32, full: bool): v128 { return f32x4.div(dy, ld(x, full)); }
}

export function log(n: i32, x: usize, y: usize, p: f32): void { unaryForward<Log>(n, x, y, p); }
export function logBackward(n: i32, x: usize, y: usize, dy: usize, dx: usize, p: f32): void { unaryBackward<Log>(n, x, y, dy, dx, p); }
