// What a guide's `console.log(expr); // → text` checks: expr printed as console.log would print it.
import { inspect } from 'node:util';

export function __expect(value: unknown, expected: string, line: number): void {
  const printed = typeof value === 'string' ? value : inspect(value, { breakLength: Infinity, depth: 6 });
  if (printed !== expected) throw new Error(`guide line ${line}: printed ${printed}, the guide says ${expected}`);
  console.log(printed);
}
