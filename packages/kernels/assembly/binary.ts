// Binary elementwise ops over a 2-D strided view: out[r, c] = a[r*aRow + c*aCol] op b[r*bRow + c*bCol], out
// contiguous [rows, cols]. Column strides 0 (one value repeated: broadcasting) and 1 (contiguous) run in SIMD;
// any other (a strided view) runs element by element. The caller (autograd) collapses any NumPy broadcast
// and any view to this form, looping over outer dimensions if needed.
// Each op is a compile-time constant inside its own inlined loop, so the op switch costs nothing per element.
import { ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM, EQ, NE, LT, LE, GT, GE } from './opcodes';

// @ts-ignore: decorator
@lazy const ONES = f32x4.splat(1);

// @ts-ignore: decorator
@inline function applyV(op: i32, x: v128, y: v128): v128 {
  switch (op) {
    case ADD: return f32x4.add(x, y);
    case SUB: return f32x4.sub(x, y);
    case MUL: return f32x4.mul(x, y);
    case DIV: return f32x4.div(x, y);
    case MAXIMUM: return f32x4.max(x, y);
    case MINIMUM: return f32x4.min(x, y);
    case EQ: return v128.and(f32x4.eq(x, y), ONES);
    case NE: return v128.and(f32x4.ne(x, y), ONES);
    case LT: return v128.and(f32x4.lt(x, y), ONES);
    case LE: return v128.and(f32x4.le(x, y), ONES);
    case GT: return v128.and(f32x4.gt(x, y), ONES);
    default: return v128.and(f32x4.ge(x, y), ONES);
  }
}

// @ts-ignore: decorator
@inline function applyS(op: i32, x: f32, y: f32): f32 {
  switch (op) {
    case ADD: return x + y;
    case SUB: return x - y;
    case MUL: return x * y;
    case DIV: return x / y;
    case MAXIMUM: return x != x || y != y ? NaN : max(x, y);
    case MINIMUM: return x != x || y != y ? NaN : min(x, y);
    case EQ: return x == y ? 1 : 0;
    case NE: return x != y ? 1 : 0;
    case LT: return x < y ? 1 : 0;
    case LE: return x <= y ? 1 : 0;
    case GT: return x > y ? 1 : 0;
    default: return x >= y ? 1 : 0;
  }
}

/** One row: aStep, bStep in {0, 1} are constants at every call site, so each variant is its own loop. */
// @ts-ignore: decorator
@inline function row(op: i32, n: i32, a: usize, aStep: i32, b: usize, bStep: i32, out: usize): void {
  const sa = f32x4.splat(load<f32>(a));
  const sb = f32x4.splat(load<f32>(b));
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = <usize>i * 4;
    const x = aStep ? v128.load(a + off) : sa;
    const y = bStep ? v128.load(b + off) : sb;
    v128.store(out + off, applyV(op, x, y));
  }
  for (; i < n; i++) {
    const off = <usize>i * 4;
    store<f32>(out + off, applyS(op, load<f32>(a + off * aStep), load<f32>(b + off * bStep)));
  }
}

/** One row with any column strides (a view that is not contiguous along it): one element at a time. */
// @ts-ignore: decorator
@inline function stridedRow(op: i32, n: i32, a: usize, aStep: i32, b: usize, bStep: i32, out: usize): void {
  for (let i = 0; i < n; i++) {
    const x = load<f32>(a + <usize>i * <usize>aStep * 4);
    const y = load<f32>(b + <usize>i * <usize>bStep * 4);
    store<f32>(out + <usize>i * 4, applyS(op, x, y));
  }
}

// @ts-ignore: decorator
@inline function rows(
  op: i32, nRows: i32, cols: i32, a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, bCol: i32, out: usize,
): void {
  for (let r = 0; r < nRows; r++) {
    const pa = a + <usize>r * <usize>aRow * 4;
    const pb = b + <usize>r * <usize>bRow * 4;
    const po = out + <usize>r * <usize>cols * 4;
    if (<u32>aCol > 1 || <u32>bCol > 1) stridedRow(op, cols, pa, aCol, pb, bCol, po);
    else if (aCol && bCol) row(op, cols, pa, 1, pb, 1, po);
    else if (aCol) row(op, cols, pa, 1, pb, 0, po);
    else if (bCol) row(op, cols, pa, 0, pb, 1, po);
    else row(op, cols, pa, 0, pb, 0, po);
  }
}

// One exported function per op (see unary.ts for why there is no dispatcher here).
export function add(nRows: i32, cols: i32, a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, bCol: i32, out: usize): void { rows(ADD, nRows, cols, a, aRow, aCol, b, bRow, bCol, out); }
export function sub(nRows: i32, cols: i32, a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, bCol: i32, out: usize): void { rows(SUB, nRows, cols, a, aRow, aCol, b, bRow, bCol, out); }
export function mul(nRows: i32, cols: i32, a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, bCol: i32, out: usize): void { rows(MUL, nRows, cols, a, aRow, aCol, b, bRow, bCol, out); }
export function div(nRows: i32, cols: i32, a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, bCol: i32, out: usize): void { rows(DIV, nRows, cols, a, aRow, aCol, b, bRow, bCol, out); }
export function maximum(nRows: i32, cols: i32, a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, bCol: i32, out: usize): void { rows(MAXIMUM, nRows, cols, a, aRow, aCol, b, bRow, bCol, out); }
export function minimum(nRows: i32, cols: i32, a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, bCol: i32, out: usize): void { rows(MINIMUM, nRows, cols, a, aRow, aCol, b, bRow, bCol, out); }
export function eq(nRows: i32, cols: i32, a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, bCol: i32, out: usize): void { rows(EQ, nRows, cols, a, aRow, aCol, b, bRow, bCol, out); }
export function ne(nRows: i32, cols: i32, a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, bCol: i32, out: usize): void { rows(NE, nRows, cols, a, aRow, aCol, b, bRow, bCol, out); }
export function lt(nRows: i32, cols: i32, a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, bCol: i32, out: usize): void { rows(LT, nRows, cols, a, aRow, aCol, b, bRow, bCol, out); }
export function le(nRows: i32, cols: i32, a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, bCol: i32, out: usize): void { rows(LE, nRows, cols, a, aRow, aCol, b, bRow, bCol, out); }
export function gt(nRows: i32, cols: i32, a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, bCol: i32, out: usize): void { rows(GT, nRows, cols, a, aRow, aCol, b, bRow, bCol, out); }
export function ge(nRows: i32, cols: i32, a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, bCol: i32, out: usize): void { rows(GE, nRows, cols, a, aRow, aCol, b, bRow, bCol, out); }

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
