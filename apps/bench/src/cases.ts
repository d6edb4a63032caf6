import type { Runner } from './measure';

export type ImplName = 'backprop' | 'backprop-relaxed' | 'tfjs-wasm' | 'tfjs-cpu' | 'ort-wasm' | 'jax-js' | 'js' | 'pytorch';

/** C[M x N] = op(A) op(B); A is stored K x M when transA, B is stored N x K when transB. */
export interface GemmCase {
  name: string;
  M: number;
  N: number;
  K: number;
  transA: boolean;
  transB: boolean;
}

export const elementwiseOps = ['add', 'mul', 'relu', 'sigmoid', 'tanh', 'exp'] as const;
export type ElementwiseOp = (typeof elementwiseOps)[number];

/** forward: y = op(x[, other]); backward: dx = dy * op'(x) (for mul: dx = dy * other). */
export interface ElementwiseCase {
  name: string;
  op: ElementwiseOp;
  direction: 'forward' | 'backward';
  n: number;
  /** Bytes read and written by one call, for GB/s. */
  bytes: number;
}

export interface ElementwiseInputs {
  x: Float32Array;
  other: Float32Array;
  dy: Float32Array;
}

/** A case prepared by one implementation: run() is timed, output() is compared with backprop's. */
export interface Prepared extends Runner {
  output(): Float32Array;
  dispose(): void;
}

export interface Impl {
  name: ImplName;
  /** Native code rather than WebAssembly or JavaScript (labelled so in the tables). */
  native?: boolean;
  gemm?(c: GemmCase, a: Float32Array, b: Float32Array): Prepared | undefined;
  elementwise?(c: ElementwiseCase, inputs: ElementwiseInputs): Prepared | undefined;
}

/** Keeps outputs alive so no engine can skip the work that produced them. */
export const sink = { value: 0 };
