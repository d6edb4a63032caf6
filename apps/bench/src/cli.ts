// pnpm bench: runs the suites against every peer in one process (Node, or a Chromium page with --runtime
// chromium) and prints a Markdown table; --json writes the results, --report DIR writes the table and SVG
// charts. Exits 1 if any peer's output differs from backprop's by more than 1e-3 relative (then they did not
// compute the same thing), 2 on a usage error or a missing browser.
import { mkdirSync, writeFileSync } from 'node:fs';
import { kernels, setNumThreads } from '@backprop/kernels';
import { dirname, join, resolve } from 'node:path';
import { parseArgs, UsageError, type Options } from './args';
import { ChromiumUnavailableError, runInChromium } from './chromium';
import { environment, type Environment } from './env';
import { peers } from './impls/all';
import { ortThreads } from './impls/ort-threads';
import { pytorch } from './impls/pytorch';
import { markdown, svgChart } from './report';
import { runSuites } from './suites/all';
import type { Result } from './suites/run';

const log = (message: string): void => console.error(message);

async function inNode(options: Options): Promise<{ env: Environment; results: Result[] }> {
  const env = environment();
  // Every column runs on one thread but backprop-tN, which lifts the limit for its own calls.
  await setNumThreads(options.threads ?? 1);
  kernels.threadLimit = 1;
  const impls = await peers(options.threads);
  const torch = pytorch();
  if (!torch) log('no Python with torch found (Debian: apt-get install python3-torch): the pytorch column is left out');
  const externals = [...(torch ? [torch] : []), ...(options.threads !== undefined ? [ortThreads(options.threads)] : [])];
  const results = await runSuites(options.suites, impls, { quick: options.quick, runtime: 'node', externals, log });
  return { env, results };
}

/** Paths on the command line are relative to where `pnpm bench` was typed (pnpm runs the script in apps/bench). */
const fromCaller = (path: string): string => resolve(process.env.INIT_CWD ?? process.cwd(), path);

async function main(options: Options): Promise<number> {
  const { env, results } = options.runtime === 'chromium' ? await runInChromium(options, log) : await inNode(options);
  const table = markdown(env, results);
  console.log(table);
  if (options.json) {
    const file = fromCaller(options.json);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify({ env, results }, null, 2)}\n`);
  }
  if (options.report) {
    const dir = fromCaller(options.report);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${options.runtime}.md`), `${table}\n`);
    for (const suite of options.suites) writeFileSync(join(dir, `${options.runtime}-${suite}.svg`), svgChart(suite, results));
  }
  const wrong = results.filter((r) => !(r.disagreement <= 1e-3));
  for (const r of wrong) log(`DISAGREES: ${r.impl} on '${r.case}' differs from backprop by ${r.disagreement.toExponential(2)} (relative)`);
  return wrong.length > 0 ? 1 : 0;
}

try {
  process.exitCode = await main(parseArgs(process.argv.slice(2)));
} catch (error) {
  if (error instanceof UsageError || error instanceof ChromiumUnavailableError) {
    console.error(error.message);
    process.exitCode = 2;
  } else {
    throw error;
  }
}
