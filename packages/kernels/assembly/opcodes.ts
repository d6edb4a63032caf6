// Op codes shared by the AssemblyScript kernels and the TypeScript side: valid in both languages, so each
// code is defined once.

/** Binary elementwise ops (binary.ts). */
export const ADD = 0;
export const SUB = 1;
export const MUL = 2;
export const DIV = 3;
export const MAXIMUM = 4;
export const MINIMUM = 5;
export const EQ = 6;
export const NE = 7;
export const LT = 8;
export const LE = 9;
export const GT = 10;
export const GE = 11;

/** Unary elementwise ops (unary.ts). */
export const NEG = 0;
export const ABS = 1;
export const SQUARE = 2;
export const SQRT = 3;
export const EXP = 4;
export const LOG = 5;
export const POW = 6;
export const SIGMOID = 7;
export const TANH = 8;
export const RELU = 9;
export const LEAKY_RELU = 10;
export const ELU = 11;
export const SOFTPLUS = 12;
export const SCALE = 13;
export const SHIFT = 14;

/** Reductions (reduce.ts). */
export const SUM = 0;
export const MEAN = 1;
export const MAX = 2;
