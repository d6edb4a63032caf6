// The op codes, defined once in assembly/opcodes.ts (valid AssemblyScript and TypeScript alike).
export * from '../assembly/opcodes';
