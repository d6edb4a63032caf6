// Shapes: sizes, NumPy broadcasting, and the canonical forms the kernels take.

export type Shape = readonly number[];

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** The NumPy broadcast of two shapes, or undefined when they do not broadcast. */
export function broadcastShapes(a: Shape, b: Shape): number[] | undefined {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return undefined;
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Normalises a possibly negative axis for a tensor of `rank` dimensions; throws naming the op. */
export function normalizeAxis(axis: number, rank: number, op: string): number {
  const r = Math.max(rank, 1);
  if (!Number.isInteger(axis) || axis < -r || axis >= r) {
    throw new RangeError(`${op}: axis ${axis} is out of range for a tensor of rank ${rank} (expected -${r} <= axis < ${r})`);
  }
  return axis < 0 ? axis + r : axis;
}

/** [outer, len, inner] for reducing `axis` of `shape`: what the reduction kernels take. */
export function aroundAxis(shape: Shape, axis: number): [number, number, number] {
  return [sizeOf(shape.slice(0, axis)), shape[axis] ?? 1, sizeOf(shape.slice(axis + 1))];
}

/** One call of the 2-D broadcast kernel: offsets into a, b and out (elements) and the strides. */
export interface BinaryPlan {
  rows: number;
  cols: number;
  aRow: number;
  aCol: number;
  bRow: number;
  bCol: number;
  /** Element offsets of each call's a, b and out (one entry per call; most plans have one). */
  calls: [number, number, number][];
}

/**
 * Plans out = a op b with NumPy broadcasting as calls of the 2-D kernel. Adjacent dimensions with the same
 * pattern (both full, only a full, only b full) merge; the last two merged dimensions become rows and
 * columns; anything further out is looped over.
 */
export function planBinary(aShape: Shape, bShape: Shape, outShape: Shape): BinaryPlan {
  const n = outShape.length;
  const dims: { size: number; a: boolean; b: boolean }[] = [];
  for (let i = 0; i < n; i++) {
    const size = outShape[i]!;
    if (size === 1) continue;
    const a = (aShape[aShape.length - n + i] ?? 1) === size;
    const b = (bShape[bShape.length - n + i] ?? 1) === size;
    const last = dims[dims.length - 1];
    if (last && last.a === a && last.b === b) last.size *= size;
    else dims.push({ size, a, b });
  }
  // Strides (in elements) of each merged dimension for a and b.
  const strides = (which: 'a' | 'b'): number[] => {
    const s = new Array<number>(dims.length);
    let acc = 1;
    for (let i = dims.length - 1; i >= 0; i--) {
      s[i] = dims[i]![which] ? acc : 0;
      if (dims[i]![which]) acc *= dims[i]!.size;
    }
    return s;
  };
  const sa = strides('a');
  const sb = strides('b');
  const k = dims.length;
  const col = dims[k - 1];
  const row = dims[k - 2];
  const plan: BinaryPlan = {
    rows: row?.size ?? 1,
    cols: col?.size ?? 1,
    aRow: row ? sa[k - 2]! : 0,
    aCol: col ? (col.a ? 1 : 0) : 0,
    bRow: row ? sb[k - 2]! : 0,
    bCol: col ? (col.b ? 1 : 0) : 0,
    calls: [],
  };
  const outer = dims.slice(0, Math.max(0, k - 2));
  const block = plan.rows * plan.cols;
  const count = sizeOf(outer.map((d) => d.size));
  for (let index = 0; index < count; index++) {
    let rest = index;
    let offA = 0;
    let offB = 0;
    for (let d = outer.length - 1; d >= 0; d--) {
      const i = rest % outer[d]!.size;
      rest = Math.floor(rest / outer[d]!.size);
      offA += i * sa[d]!;
      offB += i * sb[d]!;
    }
    plan.calls.push([offA, offB, index * block]);
  }
  return plan;
}
