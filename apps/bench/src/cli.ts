// pnpm bench: runs the suites against every peer in this process and prints a Markdown table; --json writes
// the results, --report DIR writes the table and SVG charts. Exits 1 if any peer's output differs from
// backprop's by more than 1e-3 relative (then they did not compute the same thing), 2 on a usage error.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createKernels } from '@backprop/kernels';
import { parseArgs, UsageError, type Options } from './args';
import type { Impl } from './cases';
import { environment } from './env';
import { backprop } from './impls/backprop';
import { js } from './impls/js';
import { pytorch } from './impls/pytorch';
import { tfjs } from './impls/tfjs';
import { markdown, svgChart } from './report';
import { elementwiseSuite } from './suites/elementwise';
import { gemmSuite } from './suites/gemm';
import { inferenceSuite } from './suites/inference';
import { trainSuite } from './suites/train';
import { runCase, type Result } from './suites/run';

async function impls(): Promise<Impl[]> {
  const list = [backprop('simd')];
  try {
    list.push(backprop('relaxed-simd'));
  } catch {
    console.warn('relaxed SIMD is not available in this runtime: the backprop-relaxed column is left out');
  }
  return [...list, await tfjs('wasm'), await tfjs('cpu'), js];
}

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

async function main(options: Options): Promise<number> {
  if (options.runtime === 'chromium') {
    console.error('--runtime chromium is not implemented yet: only node runs today (see apps/bench/README.md)');
    return 2;
  }
  const env = environment();
  const peers = await impls();
  const torch = pytorch();
  const externals = torch ? [torch] : [];
  if (!torch) console.error('no Python with torch found (Debian: apt-get install python3-torch): the pytorch column is left out');
  const results: Result[] = [];
  for (const suite of options.suites) {
    console.error(`running ${suite}${options.quick ? ' (quick)' : ''} ...`);
    if (suite === 'gemm') results.push(...(await gemmSuite(peers, options.quick, externals)));
    else if (suite === 'train') results.push(...(await trainSuite(peers, options.quick, externals)));
    else if (suite === 'inference') results.push(...(await inferenceSuite(peers, options.quick, externals)));
    else results.push(...(await elementwiseSuite(peers, options.quick, copyRoof(options.quick))));
  }
  const table = markdown(env, results);
  console.log(table);
  if (options.json) {
    mkdirSync(dirname(options.json), { recursive: true });
    writeFileSync(options.json, `${JSON.stringify({ env, results }, null, 2)}\n`);
  }
  if (options.report) {
    mkdirSync(options.report, { recursive: true });
    writeFileSync(join(options.report, 'node.md'), `${table}\n`);
    for (const suite of options.suites) writeFileSync(join(options.report, `node-${suite}.svg`), svgChart(suite, results));
  }
  const wrong = results.filter((r) => !(r.disagreement <= 1e-3));
  for (const r of wrong) console.error(`DISAGREES: ${r.impl} on '${r.case}' differs from backprop by ${r.disagreement.toExponential(2)} (relative)`);
  return wrong.length > 0 ? 1 : 0;
}

try {
  process.exitCode = await main(parseArgs(process.argv.slice(2)));
} catch (error) {
  if (error instanceof UsageError) {
    console.error(error.message);
    process.exitCode = 2;
  } else {
    throw error;
  }
}
