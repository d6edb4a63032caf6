// --runtime chromium: the page in ../browser, built by Vite (the workspace's TypeScript sources, as in Node),
// served on localhost and run in Debian's Chromium through playwright-core. The suites and peers are the same
// modules Node runs; the page reports its results and this process writes them like a Node run.
import { createServer } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build, defaultClientConditions } from 'vite';
import type { Options } from './args';
import type { Environment } from './env';
import type { Result } from './suites/run';
import type { WasmFeatures } from './wasm-features';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];
const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.bpdsz': 'application/octet-stream' };

export class ChromiumUnavailableError extends Error {}

export async function runInChromium(options: Options, log: (message: string) => void): Promise<{ env: Environment; results: Result[] }> {
  if (!existsSync(CHROMIUM)) throw new ChromiumUnavailableError(`--runtime chromium needs Debian's chromium at ${CHROMIUM} (apt-get install chromium)`);
  const outDir = mkdtempSync(join(os.tmpdir(), 'backprop-bench-'));
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const file = join(outDir, path === '/' ? 'index.html' : path);
    if (!file.startsWith(outDir) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    // With --threads the page is cross-origin isolated, so backprop's kernels may share memory between threads.
    const isolation = options.threads ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' } : {};
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', ...isolation }).end(readFileSync(file));
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    log('building the bench page (Vite) ...');
    await build({
      root: fileURLToPath(new URL('../browser', import.meta.url)),
      base: './',
      logLevel: 'error',
      resolve: { conditions: ['@backprop/source', ...defaultClientConditions] },
      build: { outDir, emptyOutDir: true, target: 'esnext', chunkSizeWarningLimit: 10_000 },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const run = async (query: Record<string, string>): Promise<{ results: Result[]; wasm: WasmFeatures; userAgent: string }> => {
      const page = await browser.newPage();
      page.on('console', (m) => (m.type() === 'error' ? console.error(`page: ${m.text()}`) : log(`  ${m.text()}`)));
      page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
      await page.goto(`http://127.0.0.1:${port}/index.html?${new URLSearchParams(query)}`);
      await page.waitForFunction(() => window.benchDone === true, null, { timeout: (options.quick ? 10 : 120) * 60_000, polling: 500 });
      const outcome = await page.evaluate(() => window.benchResult!);
      if ('error' in outcome) throw new Error(`the bench page failed: ${outcome.error}`);
      const userAgent = await page.evaluate(() => navigator.userAgent);
      await page.close();
      return { ...outcome, userAgent };
    };
    const common = { quick: options.quick ? '1' : '0', ...(options.threads ? { threads: String(options.threads) } : {}) };
    const outcome = await run({ suites: options.suites.join(','), ...common });
    // ONNX Runtime on N threads: the GEMM cases again in a page of its own (ORT fixes its thread count per page).
    if (options.threads && options.suites.includes('gemm')) {
      log(`ONNX Runtime on ${options.threads} threads (a page of its own) ...`);
      const ort = await run({ suites: 'gemm', ortThreads: String(options.threads), ...common });
      outcome.results.push(...ort.results.filter((r) => r.impl === `ort-wasm-t${options.threads}`));
    }
    const env: Environment = {
      runtime: 'chromium',
      cpu: os.cpus()[0]?.model ?? 'unknown',
      cores: os.cpus().length,
      node: process.version,
      v8: process.versions.v8,
      flags: ARGS,
      chromium: browser.version(),
      userAgent: outcome.userAgent,
      wasm: outcome.wasm,
      date: new Date().toISOString(),
    };
    return { env, results: outcome.results };
  } finally {
    await browser.close();
    server.close();
    rmSync(outDir, { recursive: true, force: true });
  }
}
