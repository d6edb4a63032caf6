// The references of the unary kernels: one file per op in unary/, named as the kernel (assembly/unary/), and
// the table of them that scripts/build-wasm.mjs generates from the two directories.
import { unaryKernels } from '../generated/unary';
import type { FloatArray } from './types';

/** A unary kernel's definition: y = f(x; p) and dy * f'(x; p), in float64, and how the kernel is checked. */
export interface UnaryReference {
  /** What backward reads besides dy: x, y (the forward's output), both or neither. Autograd saves exactly these. */
  readonly reads: 'x' | 'y' | 'both' | 'neither';
  readonly forward: (x: number, p: number) => number;
  /** dy * f'(x; p), from x or y as `reads` says (the other is NaN here, and address 0 for the kernel). */
  readonly backward: (x: number, y: number, dy: number, p: number) => number;
  /**
   * The directions whose kernel is bound by its arithmetic, under about 50 GB/s on one thread (an exponential, a
   * logarithm or a square root per element), where the others run at memory speed: these split across threads
   * from 2^13 elements per thread, the others from 2^17.
   */
  readonly costly?: readonly ('forward' | 'backward')[];
  /** How src/unary.test.ts checks the kernel against this reference. */
  readonly check: {
    /** The kernel forward's worst error relative to this (0: exact). */
    readonly tolerance: number;
    /** Values of p to test (default [0]). */
    readonly parameters?: readonly number[];
    /** Inputs for the backward test: 'positive' where the derivative needs x > 0 (default 'any'). */
    readonly domain?: 'any' | 'positive';
  };
}

export { unaryKernels };
/** The unary kernels by name: each is the WASM export `name`, with `${name}Backward`. */
export type UnaryOpName = keyof typeof unaryKernels;

/** The kernels take p as float32: float32 arrays get it rounded the same way, float64 arrays keep it. */
const parameterFor = (values: FloatArray, p: number): number => (values instanceof Float32Array ? Math.fround(p) : p);

/** y = op(x; p) elementwise. */
export function unary(op: UnaryOpName, n: number, x: FloatArray, y: FloatArray, p: number): void {
  const { forward } = unaryKernels[op];
  const q = parameterFor(y, p);
  for (let i = 0; i < n; i++) y[i] = forward(x[i]!, q);
}

/** dx = dy * op'(x; p) elementwise; x or y may be null where the op does not read it. */
export function unaryBackward(
  op: UnaryOpName, n: number, x: FloatArray | null, y: FloatArray | null, dy: FloatArray, dx: FloatArray, p: number,
): void {
  const { backward } = unaryKernels[op];
  const q = parameterFor(dx, p);
  for (let i = 0; i < n; i++) dx[i] = backward(x?.[i] ?? Number.NaN, y?.[i] ?? Number.NaN, dy[i]!, q);
}
