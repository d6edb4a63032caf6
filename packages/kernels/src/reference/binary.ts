import { ADD, DIV, EQ, GE, GT, LE, LT, MAXIMUM, MINIMUM, MUL, NE, SUB } from '../opcodes';

const f = Math.fround;

/** One binary op on float32 values, as the kernel defines it (maximum/minimum propagate NaN). */
export function applyBinary(op: number, x: number, y: number): number {
  switch (op) {
    case ADD: return f(x + y);
    case SUB: return f(x - y);
    case MUL: return f(x * y);
    case DIV: return f(x / y);
    case MAXIMUM: return Number.isNaN(x) || Number.isNaN(y) ? Number.NaN : Math.max(x, y);
    case MINIMUM: return Number.isNaN(x) || Number.isNaN(y) ? Number.NaN : Math.min(x, y);
    case EQ: return x === y ? 1 : 0;
    case NE: return x !== y ? 1 : 0;
    case LT: return x < y ? 1 : 0;
    case LE: return x <= y ? 1 : 0;
    case GT: return x > y ? 1 : 0;
    case GE: return x >= y ? 1 : 0;
    default: throw new RangeError(`unknown binary op ${op}`);
  }
}

/** out[r, c] = a[r*aRow + c*aCol] op b[r*bRow + c*bCol]; aCol, bCol in {0, 1}. Offsets index the arrays. */
export function binary(
  op: number, rows: number, cols: number,
  a: Float32Array, aRow: number, aCol: number, b: Float32Array, bRow: number, bCol: number, out: Float32Array,
): void {
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      out[r * cols + c] = applyBinary(op, a[r * aRow + c * aCol]!, b[r * bRow + c * bCol]!);
    }
  }
}

export function axpby(n: number, alpha: number, a: Float32Array, beta: number, b: Float32Array, out: Float32Array): void {
  for (let i = 0; i < n; i++) out[i] = f(f(a[i]! * alpha) + f(b[i]! * beta));
}
