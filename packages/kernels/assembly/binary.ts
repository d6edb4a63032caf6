// Binary elementwise ops over a 2-D strided view: out[r, c] = a[r*aRow + c*aCol] op b[r*bRow + c*bCol], out
// contiguous [rows, cols]. Column strides 0 (one value repeated: broadcasting) and 1 (contiguous) run in SIMD;
// any other (a strided view) runs element by element. The caller (autograd) collapses any NumPy broadcast
// and any view to this form, looping over outer dimensions if needed.
// Each op is a class whose methods are inlined into its own copy of the loops (see unary.ts).
/** A binary op: a stateless class whose methods the loops inline (never instantiated). */
abstract class Binary {
  abstract vector(x: v128, y: v128): v128;
  abstract scalar(x: f32, y: f32): f32;
}

// @ts-ignore: decorator
@lazy const ONES = f32x4.splat(1);

class Add extends Binary {
  // @ts-ignore: decorator
  @inline vector(x: v128, y: v128): v128 { return f32x4.add(x, y); }
  // @ts-ignore: decorator
  @inline scalar(x: f32, y: f32): f32 { return x + y; }
}
class Sub extends Binary {
  // @ts-ignore: decorator
  @inline vector(x: v128, y: v128): v128 { return f32x4.sub(x, y); }
  // @ts-ignore: decorator
  @inline scalar(x: f32, y: f32): f32 { return x - y; }
}
class Mul extends Binary {
  // @ts-ignore: decorator
  @inline vector(x: v128, y: v128): v128 { return f32x4.mul(x, y); }
  // @ts-ignore: decorator
  @inline scalar(x: f32, y: f32): f32 { return x * y; }
}
class Div extends Binary {
  // @ts-ignore: decorator
  @inline vector(x: v128, y: v128): v128 { return f32x4.div(x, y); }
  // @ts-ignore: decorator
  @inline scalar(x: f32, y: f32): f32 { return x / y; }
}
// f32x4.max and min propagate NaN (PyTorch's maximum and minimum do); the scalar builtins would not.
class Maximum extends Binary {
  // @ts-ignore: decorator
  @inline vector(x: v128, y: v128): v128 { return f32x4.max(x, y); }
  // @ts-ignore: decorator
  @inline scalar(x: f32, y: f32): f32 { return x != x || y != y ? NaN : max(x, y); }
}
class Minimum extends Binary {
  // @ts-ignore: decorator
  @inline vector(x: v128, y: v128): v128 { return f32x4.min(x, y); }
  // @ts-ignore: decorator
  @inline scalar(x: f32, y: f32): f32 { return x != x || y != y ? NaN : min(x, y); }
}
// Comparisons give 1 or 0.
class Eq extends Binary {
  // @ts-ignore: decorator
  @inline vector(x: v128, y: v128): v128 { return v128.and(f32x4.eq(x, y), ONES); }
  // @ts-ignore: decorator
  @inline scalar(x: f32, y: f32): f32 { return x == y ? 1 : 0; }
}
class Ne extends Binary {
  // @ts-ignore: decorator
  @inline vector(x: v128, y: v128): v128 { return v128.and(f32x4.ne(x, y), ONES); }
  // @ts-ignore: decorator
  @inline scalar(x: f32, y: f32): f32 { return x != y ? 1 : 0; }
}
class Lt extends Binary {
  // @ts-ignore: decorator
  @inline vector(x: v128, y: v128): v128 { return v128.and(f32x4.lt(x, y), ONES); }
  // @ts-ignore: decorator
  @inline scalar(x: f32, y: f32): f32 { return x < y ? 1 : 0; }
}
class Le extends Binary {
  // @ts-ignore: decorator
  @inline vector(x: v128, y: v128): v128 { return v128.and(f32x4.le(x, y), ONES); }
  // @ts-ignore: decorator
  @inline scalar(x: f32, y: f32): f32 { return x <= y ? 1 : 0; }
}
class Gt extends Binary {
  // @ts-ignore: decorator
  @inline vector(x: v128, y: v128): v128 { return v128.and(f32x4.gt(x, y), ONES); }
  // @ts-ignore: decorator
  @inline scalar(x: f32, y: f32): f32 { return x > y ? 1 : 0; }
}
class Ge extends Binary {
  // @ts-ignore: decorator
  @inline vector(x: v128, y: v128): v128 { return v128.and(f32x4.ge(x, y), ONES); }
  // @ts-ignore: decorator
  @inline scalar(x: f32, y: f32): f32 { return x >= y ? 1 : 0; }
}

/** One row: aStep, bStep in {0, 1} are constants at every call site, so each variant is its own loop. */
// @ts-ignore: decorator
@inline function row<Op extends Binary>(n: i32, a: usize, aStep: i32, b: usize, bStep: i32, out: usize): void {
  const op = changetype<Op>(0);
  const sa = f32x4.splat(load<f32>(a));
  const sb = f32x4.splat(load<f32>(b));
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = <usize>i * 4;
    const x = aStep ? v128.load(a + off) : sa;
    const y = bStep ? v128.load(b + off) : sb;
    v128.store(out + off, op.vector(x, y));
  }
  for (; i < n; i++) {
    const off = <usize>i * 4;
    store<f32>(out + off, op.scalar(load<f32>(a + off * aStep), load<f32>(b + off * bStep)));
  }
}

/** One row with any column strides (a view that is not contiguous along it): one element at a time. */
// @ts-ignore: decorator
@inline function stridedRow<Op extends Binary>(n: i32, a: usize, aStep: i32, b: usize, bStep: i32, out: usize): void {
  const op = changetype<Op>(0);
  for (let i = 0; i < n; i++) {
    const x = load<f32>(a + <usize>i * <usize>aStep * 4);
    const y = load<f32>(b + <usize>i * <usize>bStep * 4);
    store<f32>(out + <usize>i * 4, op.scalar(x, y));
  }
}

// @ts-ignore: decorator
@inline function rows<Op extends Binary>(
  nRows: i32, cols: i32, a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, bCol: i32, out: usize,
): void {
  for (let r = 0; r < nRows; r++) {
    const pa = a + <usize>r * <usize>aRow * 4;
    const pb = b + <usize>r * <usize>bRow * 4;
    const po = out + <usize>r * <usize>cols * 4;
    if (<u32>aCol > 1 || <u32>bCol > 1) stridedRow<Op>(cols, pa, aCol, pb, bCol, po);
    else if (aCol && bCol) row<Op>(cols, pa, 1, pb, 1, po);
    else if (aCol) row<Op>(cols, pa, 1, pb, 0, po);
    else if (bCol) row<Op>(cols, pa, 0, pb, 1, po);
    else row<Op>(cols, pa, 0, pb, 0, po);
  }
}

// One exported function per op, each its own loop with the op folded in (one dispatcher would let the
// optimiser merge the loops back into one with a per-vector branch).
export function add(nRows: i32, cols: i32, a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, bCol: i32, out: usize): void { rows<Add>(nRows, cols, a, aRow, aCol, b, bRow, bCol, out); }
export function sub(nRows: i32, cols: i32, a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, bCol: i32, out: usize): void { rows<Sub>(nRows, cols, a, aRow, aCol, b, bRow, bCol, out); }
export function mul(nRows: i32, cols: i32, a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, bCol: i32, out: usize): void { rows<Mul>(nRows, cols, a, aRow, aCol, b, bRow, bCol, out); }
export function div(nRows: i32, cols: i32, a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, bCol: i32, out: usize): void { rows<Div>(nRows, cols, a, aRow, aCol, b, bRow, bCol, out); }
export function maximum(nRows: i32, cols: i32, a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, bCol: i32, out: usize): void { rows<Maximum>(nRows, cols, a, aRow, aCol, b, bRow, bCol, out); }
export function minimum(nRows: i32, cols: i32, a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, bCol: i32, out: usize): void { rows<Minimum>(nRows, cols, a, aRow, aCol, b, bRow, bCol, out); }
export function eq(nRows: i32, cols: i32, a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, bCol: i32, out: usize): void { rows<Eq>(nRows, cols, a, aRow, aCol, b, bRow, bCol, out); }
export function ne(nRows: i32, cols: i32, a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, bCol: i32, out: usize): void { rows<Ne>(nRows, cols, a, aRow, aCol, b, bRow, bCol, out); }
export function lt(nRows: i32, cols: i32, a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, bCol: i32, out: usize): void { rows<Lt>(nRows, cols, a, aRow, aCol, b, bRow, bCol, out); }
export function le(nRows: i32, cols: i32, a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, bCol: i32, out: usize): void { rows<Le>(nRows, cols, a, aRow, aCol, b, bRow, bCol, out); }
export function gt(nRows: i32, cols: i32, a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, bCol: i32, out: usize): void { rows<Gt>(nRows, cols, a, aRow, aCol, b, bRow, bCol, out); }
export function ge(nRows: i32, cols: i32, a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, bCol: i32, out: usize): void { rows<Ge>(nRows, cols, a, aRow, aCol, b, bRow, bCol, out); }

/** out = a * alpha + b * beta elementwise (axpby): the fused form gradient accumulation and scaling need. */
export function axpby(n: i32, alpha: f32, a: usize, beta: f32, b: usize, out: usize): void {
  const va = f32x4.splat(alpha);
  const vb = f32x4.splat(beta);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = <usize>i * 4;
    v128.store(out + off, f32x4.add(f32x4.mul(v128.load(a + off), va), f32x4.mul(v128.load(b + off), vb)));
  }
  for (; i < n; i++) {
    const off = <usize>i * 4;
    store<f32>(out + off, load<f32>(a + off) * alpha + load<f32>(b + off) * beta);
  }
}

/** out[i] = value. */
export function fill(n: i32, value: f32, out: usize): void {
  const v = f32x4.splat(value);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(out + <usize>i * 4, v);
  for (; i < n; i++) store<f32>(out + <usize>i * 4, value);
}
