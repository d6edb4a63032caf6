// The kernels in a real browser (Debian's Chromium, driven by playwright-core), loaded from the installed
// tarball with no configuration: a Vite production build, the Vite dev server (whose dependency pre-bundling
// is a known trap for WASM files), webpack 5, and a plain <script type="module">. Each page must compute
// [[1, 2], [3, 4]]^2 = [7, 10, 15, 22] without a console error or a failed request. A Fashion-MNIST page reads the
// official IDX files from a URL (fetch, gunzip in the page). A threads page checks that a
// cross-origin isolated page runs on every core by default and splits a GEMM (bitwise the same as one thread),
// and that one without the headers says why it runs on one thread, once.
// Usage: node tools/browser-test.mjs <project directory with the packed packages installed>
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const CHROMIUM = '/usr/bin/chromium';
const project = process.argv[2];
const here = fileURLToPath(new URL('.', import.meta.url));
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });

if (!existsSync(CHROMIUM)) {
  if (process.env.CI) throw new Error(`browser test: ${CHROMIUM} is missing (.ci/run installs Debian's chromium)`);
  console.log(`browser test skipped: no ${CHROMIUM} (apt-get install chromium to run it)`);
  process.exit(0);
}

run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', 'vite@7', 'webpack@5', 'webpack-cli@5', 'playwright-core@1'], project);
cpSync(join(here, 'browser-test'), project, { recursive: true });

writeFileSync(join(project, 'vite.config.mjs'), `export default { build: { rollupOptions: { input: ['index.html', 'zoo.html', 'fashion.html'] } } };`);
run("npx", ["vite", "build", "--base", "./", "--outDir", "dist-vite", "--logLevel", "error"], project);
writeFileSync(join(project, 'webpack.config.cjs'), `module.exports = { mode: 'production', entry: { main: './main.js', zoo: './zoo.js', fashion: './fashion.js' }, output: { path: __dirname + '/dist-webpack', filename: '[name].js' } };`);
run('npx', ['webpack', '--config', 'webpack.config.cjs'], project);
for (const page of ['index.html', 'zoo.html', 'fashion.html']) cpSync(join(project, page), join(project, 'dist-webpack', page));

const types = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };
// The official Fashion-MNIST files (Debian's dataset-fashion-mnist; .ci/run installs it), served at /fashion-mnist/.
const FASHION_MNIST = '/usr/share/datasets/fashion-mnist';
if (!existsSync(FASHION_MNIST) && process.env.CI) throw new Error(`browser test: ${FASHION_MNIST} is missing (.ci/run installs dataset-fashion-mnist)`);
const server = createServer((req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
  const file = path.startsWith('/fashion-mnist/') ? join(FASHION_MNIST, path.slice('/fashion-mnist/'.length)) : join(project, path.endsWith('/') ? `${path}index.html` : path);
  const root = path.startsWith('/fashion-mnist/') ? FASHION_MNIST : project;
  if (!file.startsWith(root) || !existsSync(file)) {
    res.writeHead(404).end();
    return;
  }
  // ?isolated: the headers that make a page cross-origin isolated, so it may share memory between threads.
  const isolation = new URL(req.url, 'http://x').searchParams.has('isolated')
    ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' }
    : {};
  res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', ...isolation }).end(readFileSync(file));
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = server.address().port;

/** A port nothing listens on now. */
async function freePort() {
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const free = probe.address().port;
  await new Promise((resolve) => probe.close(resolve));
  return free;
}

/**
 * Stops a child started with `detached: true` (the leader of its own process group), with everything it
 * started (Vite's esbuild service), and resolves once it has exited: only then may its files be removed.
 */
async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const signal = (name) => {
    try {
      process.kill(-child.pid, name);
    } catch (error) {
      if (error.code !== 'ESRCH') throw error; // already gone
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

const vitePort = await freePort();
// Vite itself, not npx (whose kill would leave Vite running and writing its cache into the project).
const viteBin = join(project, 'node_modules', 'vite', 'bin', 'vite.js');
const dev = spawn(process.execPath, [viteBin, '--port', String(vitePort), '--strictPort', '--host', '127.0.0.1'], { cwd: project, stdio: 'ignore', detached: true });
const { chromium } = createRequire(join(project, 'package.json'))('playwright-core');
const pages = [
  ['Vite build', `http://127.0.0.1:${port}/dist-vite/index.html`],
  ['Vite dev server (dependency pre-bundling)', `http://127.0.0.1:${vitePort}/index.html`],
  ['webpack 5', `http://127.0.0.1:${port}/dist-webpack/index.html`],
  ['plain <script type="module">', `http://127.0.0.1:${port}/plain.html`],
  // [threads in use by default, bitwise the same on one thread and on all, console messages naming the missing headers]
  ['threads, cross-origin isolated page', `http://127.0.0.1:${port}/threads.html?isolated`, 'every core,1,0'],
  ['threads, page without COOP/COEP: one thread, said once', `http://127.0.0.1:${port}/threads.html`, '1,1,1'],
  ['data + zoo, Vite build', `http://127.0.0.1:${port}/dist-vite/zoo.html`, '150,4,0,1,1,0'],
  ['data + zoo, Vite dev server', `http://127.0.0.1:${vitePort}/zoo.html`, '150,4,0,1,1,0'],
  ['data + zoo, webpack 5', `http://127.0.0.1:${port}/dist-webpack/zoo.html`, '150,4,0,1,1,0'],
  // [train images, pixels, test images, pixels, first train label, first test label, first test image's byte sum]
  ...(existsSync(FASHION_MNIST) ? [
    ['fashionMnist({ url }), Vite build', `http://127.0.0.1:${port}/dist-vite/fashion.html`, '60000,784,10000,784,9,9,33456'],
    ['fashionMnist({ url }), webpack 5', `http://127.0.0.1:${port}/dist-webpack/fashion.html`, '60000,784,10000,784,9,9,33456'],
  ] : []),
];
let failures = 0;
let browser;
try {
  // The dev server optimises dependencies on startup: wait until it serves both pages.
  for (const started = Date.now(); ; ) {
    const ready = await Promise.all(['index.html', 'zoo.html'].map((p) => fetch(`http://127.0.0.1:${vitePort}/${p}`).then((r) => r.ok, () => false)));
    if (ready.every(Boolean)) break;
    if (Date.now() - started > 60_000) throw new Error('browser test: the Vite dev server did not come up within 60 s');
    await new Promise((r) => setTimeout(r, 250));
  }
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  for (const [label, url, expected = '7,10,15,22'] of pages) {
    const page = await browser.newPage();
    const problems = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
    await page.goto(url, { waitUntil: 'load' });
    const settled = await page.waitForFunction(() => document.body.dataset.result, null, { timeout: 120_000 }).then(() => true, () => false);
    const result = settled ? JSON.parse(await page.evaluate(() => document.body.dataset.result)) : { error: 'no result within 120 s' };
    const ok = !result.error && result.values?.join() === expected && problems.length === 0;
    if (!ok) failures++;
    console.log(`  ${label}: ${ok ? `ok${result.level ? `, ${result.level} build` : ''}` : `FAILED ${JSON.stringify(result)} ${problems.join('; ')}`}`);
    await page.close();
  }
} finally {
  // Every process this test started has exited before it returns (the caller then removes the project).
  await browser?.close();
  await stop(dev);
  await new Promise((resolve) => server.close(resolve));
}
if (failures > 0) {
  console.error(`browser test: ${failures} environment(s) failed`);
  process.exit(1);
}
console.log('browser test: kernels, data files, zoo weights and Fashion-MNIST from a URL load with no configuration in Vite (build and dev), webpack 5 and a plain script module');
