// Shapes: sizes, NumPy broadcasting, and the canonical forms the kernels take.
import { describeValue } from './errors';

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
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
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
  if (!Number.isInteger(axis)) throw new TypeError(`${op}: an axis must be an integer, got ${typeof axis === 'number' ? axis : describeValue(axis)}`);
  if (axis < -r || axis >= r) {
    throw new RangeError(`${op}: axis ${axis} is out of range for a tensor of rank ${rank} (expected -${r} <= axis < ${r})`);
  }
  return axis < 0 ? axis + r : axis;
}

/** [outer, len, inner] for reducing `axis` of `shape`: what the reduction kernels take. */
export function aroundAxis(shape: Shape, axis: number): [number, number, number] {
  return [sizeOf(shape.slice(0, axis)), shape[axis] ?? 1, sizeOf(shape.slice(axis + 1))];
}
