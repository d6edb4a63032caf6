// Strided layouts: where element [i0, i1, ...] of a tensor lies in its storage (offset + sum of i_k strides[k]),
// as PyTorch's. Views (permute, transpose, expand, narrow, ...) change only shape, strides and offset; kernels
// that need rows of consecutive elements get a contiguous copy. Strides count elements and are never negative.
import type { Shape } from './shape';

/** Row-major strides of a contiguous tensor of `shape`. */
export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let step = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = step;
    step *= shape[i]!;
  }
  return strides;
}

/** Whether the strides lay the shape out row-major without gaps (a dimension of size 1 may have any stride). */
export function isContiguous(shape: Shape, strides: readonly number[]): boolean {
  let step = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] === 0) return true;
    if (shape[i] !== 1 && strides[i] !== step) return false;
    step *= shape[i]!;
  }
  return true;
}

/** A tensor's strides read as `outShape` under NumPy broadcasting: 0 along broadcast and missing dimensions. */
export function broadcastStrides(shape: Shape, strides: readonly number[], outShape: Shape): number[] {
  const lead = outShape.length - shape.length;
  return outShape.map((size, i) => (i < lead || (shape[i - lead] === 1 && size !== 1) ? 0 : strides[i - lead]!));
}

/**
 * A walk over `shape` for several operands with their strides, as 2-D blocks: adjacent dimensions merge where
 * every operand allows it, the last two merged dimensions are each block's rows and columns, and the rest are
 * enumerated into the offsets (one per block and operand).
 */
export interface Walk {
  rows: number;
  cols: number;
  rowStrides: number[];
  colStrides: number[];
  /** offsets[block][operand], in elements. */
  offsets: number[][];
}

export function walk(shape: Shape, operands: readonly (readonly number[])[]): Walk {
  const dims: { size: number; strides: number[] }[] = [];
  shape.forEach((size, i) => {
    if (size === 1) return;
    const strides = operands.map((s) => s[i]!);
    const last = dims[dims.length - 1];
    // [..., a, b] merges into one dimension when every operand steps over b exactly as over a * b.
    if (last && strides.every((s, k) => last.strides[k] === s * size)) {
      last.size *= size;
      last.strides = strides;
    } else dims.push({ size, strides });
  });
  const none = operands.map(() => 0);
  const col = dims[dims.length - 1];
  const row = dims[dims.length - 2];
  const outer = dims.slice(0, Math.max(0, dims.length - 2));
  const offsets: number[][] = [];
  const count = outer.reduce((n, d) => n * d.size, shape.some((d) => d === 0) ? 0 : 1);
  const index = outer.map(() => 0);
  for (let block = 0; block < count; block++) {
    offsets.push(operands.map((_, k) => outer.reduce((sum, d, j) => sum + index[j]! * d.strides[k]!, 0)));
    for (let j = outer.length - 1; j >= 0 && ++index[j]! === outer[j]!.size; j--) index[j] = 0;
  }
  return {
    rows: row?.size ?? 1,
    cols: shape.some((d) => d === 0) ? 0 : (col?.size ?? 1),
    rowStrides: row?.strides ?? none,
    colStrides: col?.strides ?? none,
    offsets,
  };
}
