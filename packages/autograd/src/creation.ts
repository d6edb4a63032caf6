import type { Backend } from './backend';
import { context } from './context';
import type { DType } from './dtype';
import { draw } from './random';
import { formatShape, sizeOf, type Shape } from './shape';
import { describeValue } from './errors';
import { checkOptions } from './options';
import { allocate, type NestedArray, type Tensor } from './tensor';

export interface TensorOptions {
  /** Required with a flat typed array or number[] when the data is not 1-D. */
  shape?: Shape;
  dtype?: DType;
  requiresGrad?: boolean;
}

export type TensorData = NestedArray | Float32Array | Float64Array | Int32Array | readonly number[];

/** Flattens nested arrays, checking that they are rectangular and hold only numbers. */
function flatten(data: NestedArray): { values: number[]; shape: number[] } {
  const shape: number[] = [];
  for (let level: NestedArray = data; Array.isArray(level); level = level[0] ?? 0) {
    shape.push(level.length);
    if (level.length === 0) break;
  }
  const values: number[] = [];
  const index: number[] = []; // where the walk is, for the message of an error
  const where = (dim: number): string => index.slice(0, dim).map((i) => `[${i}]`).join('') || 'the top';
  const walk = (node: NestedArray, dim: number): void => {
    if (dim === shape.length) {
      if (typeof node !== 'number') throw new TypeError(`tensor: expected a number at ${where(dim)}, got ${Array.isArray(node) ? 'an array (ragged nesting)' : typeof node}`);
      values.push(node);
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[dim]) {
      throw new TypeError(`tensor: ragged nested array: ${where(dim)} has ${Array.isArray(node) ? node.length : 'no'} elements where ${shape[dim]} were expected from the first row`);
    }
    for (let i = 0; i < node.length; i++) {
      index[dim] = i;
      walk(node[i]!, dim + 1);
    }
  };
  walk(data, 0);
  return { values, shape };
}

function checkShape(shape: Shape, op: string): void {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new RangeError(`${op}: a shape is an array of non-negative integers, got ${JSON.stringify(shape)}`);
  }
}

/** @internal A tensor from data on a given backend. */
export function tensorOn(backend: Backend, data: TensorData, opts: TensorOptions = {}): Tensor {
  checkOptions('tensor', opts, { shape: [], dtype: 'float32', requiresGrad: false });
  const dtype = opts.dtype ?? (data instanceof Int32Array ? 'int32' : 'float32');
  if (dtype !== 'float32' && dtype !== 'int32') throw new TypeError(`tensor: unknown dtype '${String(dtype)}' (float32 or int32)`);
  let values: ArrayLike<number>;
  let shape: Shape;
  if (typeof data === 'number') {
    values = [data];
    shape = opts.shape ?? [];
  } else if (ArrayBuffer.isView(data)) {
    values = data;
    shape = opts.shape ?? [values.length];
  } else if (Array.isArray(data)) {
    // A flat array of numbers is taken as it is; anything else is walked (checking that it is rectangular).
    const flat = data.every((v) => typeof v === 'number') ? { values: data, shape: [data.length] } : flatten(data);
    values = flat.values;
    shape = opts.shape ?? flat.shape;
  } else {
    throw new TypeError(`tensor: data must be a number, nested arrays of numbers or a typed array, got ${describeValue(data)}`);
  }
  checkShape(shape, 'tensor');
  if (sizeOf(shape) !== values.length) {
    throw new RangeError(`tensor: ${values.length} values do not fill shape ${formatShape(shape)} (${sizeOf(shape)} elements)`);
  }
  if (dtype === 'int32' && !(data instanceof Int32Array)) values = toInt32(values);
  const t = allocate(backend, shape, dtype);
  if (values.length > 0) backend.write(t, values);
  if (opts.requiresGrad) t.requiresGrad = true;
  return t;
}

/** Values as int32, truncated toward zero as PyTorch does; a value int32 cannot hold is an error. */
function toInt32(values: ArrayLike<number>): Int32Array {
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = Math.trunc(values[i]!);
    if (!(v >= -(2 ** 31) && v < 2 ** 31)) throw new RangeError(`tensor: element ${i} (${values[i]}) cannot be converted to int32 without overflow`);
    out[i] = v;
  }
  return out;
}

/** A tensor from nested arrays, a number, or a typed array (with `shape` for more than one dimension). */
export function tensor(data: TensorData, options: TensorOptions = {}): Tensor {
  return tensorOn(context.backend, data, options);
}

function filled(op: string, shape: Shape, value: number, options: Omit<TensorOptions, 'shape'>): Tensor {
  checkShape(shape, op);
  const t = allocate(context.backend, shape, options.dtype ?? 'float32');
  context.backend.fill(t, t.size, value);
  if (options.requiresGrad) t.requiresGrad = true;
  return t;
}

export const zeros = (shape: Shape, options: Omit<TensorOptions, 'shape'> = {}): Tensor => filled('zeros', shape, 0, options);
export const ones = (shape: Shape, options: Omit<TensorOptions, 'shape'> = {}): Tensor => filled('ones', shape, 1, options);
export function full(shape: Shape, value: number, options: Omit<TensorOptions, 'shape'> = {}): Tensor {
  if (typeof value !== 'number') throw new TypeError(`full: the fill value must be a number, got ${typeof value}`);
  return filled('full', shape, value, options);
}

function random(op: string, kind: 'uniform' | 'normal', shape: Shape, a: number, b: number, requiresGrad = false): Tensor {
  checkShape(shape, op);
  const t = allocate(context.backend, shape, 'float32');
  const [seed, offset] = draw(t.size);
  context.backend.random(kind, t.size, seed, offset, a, b, t);
  if (requiresGrad) t.requiresGrad = true;
  return t;
}

/** Uniform samples in [low, high) (default [0, 1)) from the seeded generator. */
export function rand(shape: Shape, { low = 0, high = 1, requiresGrad = false }: { low?: number; high?: number; requiresGrad?: boolean } = {}): Tensor {
  if (!(high > low)) throw new RangeError(`rand: high (${high}) must exceed low (${low})`);
  return random('rand', 'uniform', shape, low, high, requiresGrad);
}

/** Normal samples (default mean 0, std 1) from the seeded generator. */
export function randn(shape: Shape, { mean = 0, std = 1, requiresGrad = false }: { mean?: number; std?: number; requiresGrad?: boolean } = {}): Tensor {
  if (!(std >= 0)) throw new RangeError(`randn: std must be >= 0, got ${std}`);
  return random('randn', 'normal', shape, mean, std, requiresGrad);
}

/** start, start + step, ... below end (NumPy's arange); float32 unless dtype says int32. */
export function arange(start: number, end?: number, step = 1, options: { dtype?: DType } = {}): Tensor {
  const [from, to] = end === undefined ? [0, start] : [start, end];
  if (step === 0 || !Number.isFinite(step)) throw new RangeError(`arange: step must be a non-zero finite number, got ${step}`);
  const n = Math.max(0, Math.ceil((to - from) / step));
  return tensor(Array.from({ length: n }, (_, i) => from + i * step), { dtype: options.dtype ?? 'float32', shape: [n] });
}

/** The n x m identity (m defaults to n). */
export function eye(n: number, m = n): Tensor {
  checkShape([n, m], 'eye');
  const values = new Float32Array(n * m);
  for (let i = 0; i < Math.min(n, m); i++) values[i * m + i] = 1;
  return tensor(values, { shape: [n, m] });
}
