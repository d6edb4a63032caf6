// The op codes, defined once in assembly/opcodes.ts (valid AssemblyScript and TypeScript alike), and the
// names of the WASM functions that implement them, indexed by code.
export * from '../assembly/opcodes';

/** binaryOpNames[code] is the WASM export of that binary op. */
export const binaryOpNames = ['add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const;

/** unaryOpNames[code] is the WASM export of that unary op's forward; `${name}Backward` is its backward. */
export const unaryOpNames = [
  'neg', 'abs', 'square', 'sqrt', 'exp', 'log', 'pow', 'sigmoid', 'tanh', 'relu', 'leakyRelu', 'elu', 'softplus', 'scale', 'shift',
] as const;

export type BinaryOpName = (typeof binaryOpNames)[number];
export type UnaryOpName = (typeof unaryOpNames)[number];
