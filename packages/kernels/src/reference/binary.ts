import type { FloatArray } from './types';
import { ADD, DIV, EQ, GE, GT, LE, LT, MAXIMUM, MINIMUM, MUL, NE, SUB } from '../opcodes';

/** One binary op, as the kernel defines it (maximum/minimum propagate NaN); rounding happens on store. */
export function applyBinary(op: number, x: number, y: number): number {
  switch (op) {
    case ADD: return x + y;
    case SUB: return x - y;
    case MUL: return x * y;
    case DIV: return x / y;
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

/** out[r, c] = a[r*aRow + c*aCol] op b[r*bRow + c*bCol] (strides >= 0). Offsets index the arrays. */
export function binary(
  op: number, rows: number, cols: number,
  a: FloatArray, aRow: number, aCol: number, b: FloatArray, bRow: number, bCol: number, out: FloatArray,
): void {
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      out[r * cols + c] = applyBinary(op, a[r * aRow + c * aCol]!, b[r * bRow + c * bCol]!);
    }
  }
}

export function axpby(n: number, alpha: number, a: FloatArray, beta: number, b: FloatArray, out: FloatArray): void {
  // The kernel rounds each product before the sum; so does this in float32 (a float64 out keeps float64).
  const round = out instanceof Float32Array ? Math.fround : (v: number): number => v;
  for (let i = 0; i < n; i++) out[i] = round(a[i]! * alpha) + round(b[i]! * beta);
}
