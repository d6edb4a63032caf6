import { createKernels } from '@backprop/kernels';
import type { Impl } from '../cases';
import type { External } from '../external';
import type { SuiteName } from '../args';
import { elementwiseSuite } from './elementwise';
import { gemmSuite } from './gemm';
import { inferenceSuite } from './inference';
import { runCase, type Result } from './run';
import { trainSuite } from './train';

/** memory.copy of n floats: the bandwidth roof for the elementwise kernels (bytes read + written). */
function copyRoof(quick: boolean): (n: number) => Promise<Result> {
  const k = createKernels('simd');
  return async (n) => {
    const [src, dst] = [k.heap.alloc(n * 4), k.heap.alloc(n * 4)];
    const [result] = await runCase(
      {
        suite: 'elementwise',
        name: `memory.copy ${n} (roof)`,
        prepare: (impl) =>
          impl.name === 'backprop'
            ? { run: () => k.wasm.copy(dst, src, n * 4), output: () => new Float32Array(0), dispose: () => undefined }
            : undefined,
        rates: (ms) => ({ gbps: (8 * n) / ms / 1e6 }),
      },
      [{ name: 'backprop' }],
      quick,
    );
    k.heap.free(src);
    k.heap.free(dst);
    return result!;
  };
}

/** Runs the chosen suites in this process (Node, or a Chromium page) and labels the results with the runtime. */
export async function runSuites(
  suites: SuiteName[], impls: Impl[], { quick, runtime, externals = [], log }: { quick: boolean; runtime: Result['runtime']; externals?: External[]; log: (message: string) => void },
): Promise<Result[]> {
  const results: Result[] = [];
  for (const suite of suites) {
    log(`running ${suite}${quick ? ' (quick)' : ''} ...`);
    if (suite === 'gemm') results.push(...(await gemmSuite(impls, quick, externals)));
    else if (suite === 'train') results.push(...(await trainSuite(impls, quick, externals)));
    else if (suite === 'inference') results.push(...(await inferenceSuite(impls, quick, externals)));
    else results.push(...(await elementwiseSuite(impls, quick, copyRoof(quick))));
  }
  return results.map((r) => ({ ...r, runtime }));
}
