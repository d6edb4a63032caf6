// The op table: every op by name, from the op files (src/generated/ops.ts re-exports them all). Each entry is
// the op's function with what the table knows of it (`op`: its gradient and its kernels); op-table.test.ts
// checks every entry against the kernels, their references and gradcheck.
import * as exported from './generated/ops';
import { isOp, type Op } from './op';

type Exports = typeof exported;

/** The name of every op. */
export type OpName = { [K in keyof Exports]: Exports[K] extends Op ? K : never }[keyof Exports];

/** Every op by name. */
export const opTable = Object.freeze(Object.fromEntries(Object.entries(exported).filter(([, value]) => isOp(value)))) as {
  readonly [K in OpName]: Exports[K];
};
