// What the op table (op-table.ts) knows of each op, attached to the op's function where the op is defined.
import type { WasmExports } from '@backprop/kernels';

/**
 * How an op's gradient is computed:
 * - 'recorded': the forward records its backward, written beside it in the op's file;
 * - 'composite': the op is composed of other ops, whose backwards carry the gradient;
 * - 'none': no gradient (integer or boolean results, and casts, which PyTorch cuts from the graph too).
 */
export type Gradient = 'recorded' | 'composite' | 'none';

export interface OpInfo {
  /** The op's name: its key in the op table, and its nodes' name in the graph. */
  readonly name: string;
  readonly gradient: Gradient;
  /** The WASM kernels the op runs (export names of @backprop/kernels), each with its TypeScript reference. */
  readonly kernels: readonly (keyof WasmExports)[];
}

/** An op: its function, with what the table knows of it as `op`. */
export type Op<F extends (...args: never[]) => unknown = (...args: never[]) => unknown> = F & { readonly op: OpInfo };

/** Defines an op: `fn` is what users call; `info` says how its gradient is computed and which kernels it runs. */
export function defineOp<F extends (...args: never[]) => unknown>(info: OpInfo, fn: F): Op<F> {
  return Object.defineProperty(fn, 'op', { value: Object.freeze({ ...info, kernels: Object.freeze([...info.kernels]) }), enumerable: true }) as Op<F>;
}

/** Whether a value is an op (a function defined with defineOp). */
export function isOp(value: unknown): value is Op {
  return typeof value === 'function' && 'op' in value;
}
