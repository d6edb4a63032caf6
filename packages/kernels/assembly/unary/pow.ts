// pow(x; p) = x^p (std::pow semantics: a negative x with an integer p is fine, with a fractional p NaN);
// backward from x: dy p x^(p-1), and 0 everywhere when p = 0, x = 0 included (PyTorch's rule, not 0 * x^-1).
import { ld } from '../simd';
import { Unary, unaryBackward, unaryForward, ZERO } from '../unary';

/** x^p lane by lane, in float64 as the reference does. */
// @ts-ignore: decorator
@inline function vpow(x: v128, p: f32): v128 {
  const e = <f64>p;
  let r = f32x4.splat(<f32>Math.pow(<f64>f32x4.extract_lane(x, 0), e));
  r = f32x4.replace_lane(r, 1, <f32>Math.pow(<f64>f32x4.extract_lane(x, 1), e));
  r = f32x4.replace_lane(r, 2, <f32>Math.pow(<f64>f32x4.extract_lane(x, 2), e));
  return f32x4.replace_lane(r, 3, <f32>Math.pow(<f64>f32x4.extract_lane(x, 3), e));
}

class Pow extends Unary {
  // @ts-ignore: decorator
  @inline forward(x: v128, p: f32): v128 { return vpow(x, p); }
  // @ts-ignore: decorator
  @inline backward(x: usize, y: usize, dy: v128, p: f32, full: bool): v128 {
    return p == 0 ? ZERO : f32x4.mul(dy, f32x4.mul(f32x4.splat(p), vpow(ld(x, full), p - 1)));
  }
}

export function pow(n: i32, x: usize, y: usize, p: f32): void { unaryForward<Pow>(n, x, y, p); }
export function powBackward(n: i32, x: usize, y: usize, dy: usize, dx: usize, p: f32): void { unaryBackward<Pow>(n, x, y, dy, dx, p); }
