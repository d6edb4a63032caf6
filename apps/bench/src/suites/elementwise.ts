import { elementwiseOps, type ElementwiseCase, type Impl } from '../cases';
import { seededRandom as random } from '@backprop/autograd';
import { runCase, type Result } from './run';

export function elementwiseCases(quick: boolean): ElementwiseCase[] {
  const sizes = quick ? [65_536] : [1024, 65_536, 1_048_576];
  const cases: ElementwiseCase[] = [];
  for (const n of sizes) {
    for (const op of elementwiseOps) {
      const binary = op === 'add' || op === 'mul';
      cases.push({ name: `${op} forward ${n}`, op, direction: 'forward', n, bytes: (binary ? 3 : 2) * 4 * n });
      if (op !== 'add') cases.push({ name: `${op} backward ${n}`, op, direction: 'backward', n, bytes: 3 * 4 * n });
    }
  }
  return cases;
}

export async function elementwiseSuite(impls: Impl[], quick: boolean, roof: (n: number) => Promise<Result>): Promise<Result[]> {
  const results: Result[] = [];
  const sizes = [...new Set(elementwiseCases(quick).map((c) => c.n))];
  for (const n of sizes) results.push(await roof(n));
  for (const c of elementwiseCases(quick)) {
    const next = random(c.n + c.name.length);
    const x = Float32Array.from({ length: c.n }, () => 8 * next() - 4);
    const other = Float32Array.from({ length: c.n }, () => 2 * next() - 1);
    const dy = Float32Array.from({ length: c.n }, () => 2 * next() - 1);
    results.push(
      ...(await runCase(
        { suite: 'elementwise', name: c.name, prepare: (impl) => impl.elementwise?.(c, { x, other, dy }), rates: (ms) => ({ gbps: c.bytes / ms / 1e6 }) },
        impls,
        quick,
      )),
    );
  }
  return results;
}
