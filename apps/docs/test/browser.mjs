// The built docs site in a real browser (Debian's Chromium, driven by playwright-core): every page loads with
// no console error, no failed request and no request leaving the machine; each widget is used as a person
// would and must show the effect. Screenshots go to test-results/ (CI keeps them as artifacts).
// Usage: pnpm docs:build && node test/browser.mjs
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { availableParallelism } from 'node:os';
import { extname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
const here = fileURLToPath(new URL('..', import.meta.url));
const dist = join(here, 'docs/.vitepress/dist');
const shots = join(here, 'test-results');

if (!existsSync(join(dist, 'index.html'))) throw new Error('docs browser test: build the site first (pnpm docs:build)');
if (!existsSync(CHROMIUM)) {
  if (process.env.CI) throw new Error(`docs browser test: ${CHROMIUM} is missing (.ci/run installs Debian's chromium)`);
  console.log(`docs browser test skipped: no ${CHROMIUM} (apt-get install chromium to run it)`);
  process.exit(0);
}
mkdirSync(shots, { recursive: true });

// A static server with VitePress's clean URLs: /guide/install serves guide/install.html.
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json', '.woff2': 'font/woff2', '.png': 'image/png' };
const server = createServer((req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
  const candidates = [join(dist, path), join(dist, `${path}.html`), join(dist, path, 'index.html')];
  const file = candidates.find((f) => f.startsWith(dist) && existsSync(f) && statSync(f).isFile());
  if (!file) {
    res.writeHead(404).end();
    return;
  }
  // Cross-origin isolated, as public/_headers asks of a host: the kernels run on every core.
  const isolation = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };
  res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', ...isolation }).end(readFileSync(file));
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});
const failures = [];
const check = (ok, what) => {
  console.log(`  ${ok ? 'ok' : 'FAILED'}: ${what}`);
  if (!ok) failures.push(what);
};

/** A page that records every console error, page error, failed request and request to another host. */
async function open(path) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // ERR_ABORTED is a request the page itself cancelled (a prefetch cut short by the next navigation).
  page.on('requestfailed', (r) => r.failure()?.errorText !== 'net::ERR_ABORTED' && problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  page.on('response', (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()}: ${r.url()}`));
  page.on('request', (r) => !r.url().startsWith(origin) && !r.url().startsWith('data:') && !r.url().startsWith('blob:') && problems.push(`left the machine: ${r.url()}`));
  await page.goto(`${origin}${path}`, { waitUntil: 'load' });
  return { page, problems };
}

// How long to wait for a page to react: waits end as soon as the condition holds, so a generous bound costs
// nothing on an idle machine and keeps a busy one (CI's two cores shared) from failing.
const WAIT = 60_000;
const text = (page, selector) => page.locator(selector).first().textContent({ timeout: WAIT });
const blank = (page, selector) => page.locator(selector).evaluate((canvas) => {
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  for (let i = 4; i < data.length; i += 4) if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2]) return false;
  return true;
});

try {
  console.log('every page');
  const pages = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.html') && entry.name !== '404.html') pages.push(`/${relative(dist, full).replace(/(index)?\.html$/, '')}`);
    }
  };
  walk(dist);
  check(pages.length >= 20, `${pages.length} pages built (guides, widgets, benchmarks, API)`);
  const { page: visitor, problems } = await open('/');
  let clean = 0;
  for (const path of pages.sort()) {
    problems.length = 0;
    await visitor.goto(`${origin}${path}`, { waitUntil: 'load' });
    if (path.startsWith('/widgets/') || path === '/guide/activations') await visitor.waitForSelector('[data-widget]', { timeout: WAIT }).catch(() => problems.push('no widget rendered'));
    if (problems.length) check(false, `${path}: ${problems.join('; ')}`);
    else clean++;
  }
  check(clean === pages.length, `${clean} of ${pages.length} pages load with no console error, failed request or outside request`);
  await visitor.close();

  console.log('playground');
  {
    const { page, problems } = await open('/widgets/playground?dataset=xor&hidden=8,4');
    await page.waitForFunction(() => /^\d/.test(document.querySelector('[data-testid=test-loss]')?.textContent ?? ''), null, { timeout: WAIT });
    const start = Number(await text(page, '[data-testid=test-loss]'));
    await page.click('[data-action=play]');
    const fell = await page.waitForFunction((s) => Number(document.querySelector('[data-testid=test-loss]').textContent) < s * 0.8, start, { timeout: WAIT }).then(() => true, () => false);
    const end = Number(await text(page, '[data-testid=test-loss]'));
    check(fell, `playing lowers the test loss within seconds (${start} -> ${end})`);
    check(Number(await text(page, '[data-testid=epoch]')) > 0, 'the epoch counter runs');
    check(!(await blank(page, '[data-testid=boundary]')), 'the decision boundary is drawn');
    const cores = Math.min(8, availableParallelism());
    check(await page.evaluate(() => crossOriginIsolated) && Number(await text(page, '[data-testid=threads]')) === cores, `the page is cross-origin isolated and its training worker runs on every core (${cores})`);
    check(!(await blank(page, '.bp-neuron >> nth=0')), 'the first neuron thumbnail is drawn');
    check(await page.locator('.bp-neuron').count() === 12, 'one thumbnail per hidden neuron (8 + 4)');
    await page.click('[data-action=pause]');
    await page.waitForSelector('[data-action=play]', { timeout: WAIT });
    const paused = await text(page, '[data-testid=epoch]');
    await page.waitForTimeout(300);
    check(await text(page, '[data-testid=epoch]') === paused, `pausing stops training (epoch ${paused})`);
    await page.screenshot({ path: join(shots, 'playground.png'), fullPage: true });
    const pixels = () => page.locator('[data-testid=boundary]').evaluate((c) => Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data).join());
    const smooth = await pixels();
    await page.check('[data-control=discretize]');
    check(await pixels() !== smooth, 'discretize output redraws the boundary as two classes');
    await page.selectOption('[data-control=activation]', 'relu');
    await page.waitForFunction(() => document.querySelector('[data-testid=epoch]').textContent === '0', null, { timeout: WAIT });
    check(page.url().includes('activation=relu'), 'changing the activation resets the network and goes into the URL');
    await page.click('[data-action=step]');
    await page.waitForFunction(() => document.querySelector('[data-testid=epoch]').textContent === '1', null, { timeout: WAIT });
    check(true, 'a single step trains one epoch');
    await page.click('[data-action=remove-layer]');
    await page.click('[data-action=remove-layer]');
    await page.waitForFunction(() => document.querySelectorAll('.bp-neuron').length === 0, null, { timeout: WAIT });
    check(page.url().includes('hidden=&') || page.url().endsWith('hidden='), 'removing every hidden layer is kept in the URL');
    await page.fill('[data-control=lr]', '50');
    await page.selectOption('[data-control=optimizer]', 'sgd');
    check(problems.length === 0, `no errors while playing ${problems.join('; ')}`);
    await page.close();

    const shared = await open('/widgets/playground?dataset=spiral&activation=elu&noise=abc');
    await shared.page.waitForSelector('.bp-warning', { timeout: WAIT });
    check(await shared.page.locator('[data-control=activation]').inputValue() === 'elu', 'a shared link restores the settings');
    check((await text(shared.page, '.bp-warning')).includes('noise=abc is not a number'), 'a bad value in a link is named, not silently used');
    await shared.page.close();
  }

  console.log('backprop explorer');
  {
    const { page, problems } = await open('/widgets/backprop-explorer');
    check(await text(page, '[data-testid=f-value]') === 'f = -12', '(x + y) * z at (-2, 5, -4) shows f = -12');
    const grads = await Promise.all(['x', 'y', 'z'].map((v) => text(page, `[data-testid=grad-${v}]`)));
    check(grads.join(' | ') === '∂f/∂x = -4 | ∂f/∂y = -4 | ∂f/∂z = 3', `gradients -4, -4, 3 (${grads.join(', ')})`);
    check(await page.locator('[data-node]').count() === 5, 'the graph has five nodes');
    await page.screenshot({ path: join(shots, 'backprop-explorer.png'), fullPage: true });
    await page.fill('[data-control=expression]', 'x * y + z');
    await page.waitForFunction(() => document.querySelector('[data-testid=f-value]')?.textContent === 'f = -14', null, { timeout: WAIT });
    check(await text(page, '[data-testid=grad-x]') === '∂f/∂x = 5', 'editing the expression recomputes: x * y + z gives ∂f/∂x = y = 5');
    await page.fill('[data-input=y]', '2');
    await page.waitForFunction(() => document.querySelector('[data-testid=f-value]')?.textContent === 'f = -8', null, { timeout: WAIT });
    check(page.url().includes('y%3D2') || page.url().includes('y=2'), 'changing an input recomputes and goes into the URL');
    await page.fill('[data-control=expression]', '(x + ');
    check((await text(page, '[data-testid=explorer-error]')).includes('unexpected end of the expression'), 'a broken expression is explained');
    await page.click('text=Sigmoid neuron');
    await page.waitForFunction(() => document.querySelector('[data-testid=f-value]')?.textContent === 'f = 0.7311', null, { timeout: WAIT });
    check(await text(page, '[data-testid=grad-w0]') === '∂f/∂w0 = -0.1966', 'the sigmoid neuron: f = 0.7311, ∂f/∂w0 = -0.1966');
    check(problems.length === 0, `no errors ${problems.join('; ')}`);
    await page.close();
  }

  console.log('initialisation explorer');
  {
    const { page, problems } = await open('/widgets/init-explorer');
    const lastStd = () => page.locator('[data-layer="10"]').getAttribute('data-std', { timeout: WAIT }).then(Number);
    const small = await lastStd();
    check(small < 1e-4, `small random weights with tanh: layer 10 collapses (std ${small})`);
    await page.selectOption('[data-control=initialiser]', 'xavier');
    await page.waitForFunction(() => Number(document.querySelector('[data-layer="10"]')?.getAttribute('data-std')) > 0.1, null, { timeout: WAIT });
    check(true, `Xavier with tanh keeps layer 10 alive (std ${await lastStd()})`);
    check(page.url().includes('initialiser=xavier'), 'the setting goes into the URL');
    await page.screenshot({ path: join(shots, 'init-explorer.png'), fullPage: true });
    check(problems.length === 0, `no errors ${problems.join('; ')}`);
    await page.close();
  }

  console.log('optimiser race');
  {
    const { page, problems } = await open('/widgets/optimizer-race');
    await page.waitForFunction(() => document.querySelector('[data-testid=race-step]')?.textContent === '300', null, { timeout: WAIT });
    check(await page.locator('[data-final]').count() === 10, 'all ten optimisers finish the race');
    check(!(await blank(page, '[data-testid=race-canvas]')), 'the surface and paths are drawn');
    await page.screenshot({ path: join(shots, 'optimizer-race.png'), fullPage: true });
    await page.fill('[data-lr=sgd]', '0.5');
    await page.locator('[data-lr=sgd]').dispatchEvent('change');
    await page.waitForFunction(() => document.querySelector('[data-final=sgd]')?.textContent === 'diverged', null, { timeout: WAIT });
    check(page.url().includes('lr=sgd%3D0.5'), 'raising SGD\'s learning rate on Rosenbrock diverges, and the rate goes into the URL');
    await page.selectOption('[data-control=surface]', 'saddle');
    await page.waitForFunction(() => document.querySelector('[data-testid=race-step]')?.textContent === '300' && location.search.includes('surface=saddle'), null, { timeout: WAIT });
    check(true, 'switching to the saddle reruns the race');
    check(problems.length === 0, `no errors ${problems.join('; ')}`);
    await page.close();
  }

  console.log('draw a digit');
  {
    const { page, problems } = await open('/widgets/draw-digit?digit=3');
    const label = Number(await text(page, '[data-label]'));
    const verdict = Number(await text(page, '[data-prediction=lenet]'));
    check(verdict === label, `lenet classifies test digit 3 (labelled ${label}) as ${verdict}`);
    check(/^\d$/.test(await text(page, '[data-prediction=mlp]')), 'the deep MLP classifies it too');
    check(await page.locator('[data-feature-map]').count() === 6 && !(await blank(page, '[data-feature-map] >> nth=0')), 'lenet\'s six feature maps are drawn');
    // A test digit the user steps to, then one drawn by hand: a vertical stroke.
    await page.click('[data-control=test-digit]');
    await page.waitForFunction(() => location.search.includes('digit=4'), null, { timeout: WAIT });
    check(Number(await text(page, '[data-prediction=lenet]')) === Number(await text(page, '[data-label]')), 'the next test digit is classified as labelled');
    await page.click('[data-control=clear]');
    const box = await page.locator('[data-testid=draw-canvas]').boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height * 0.15);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + box.width / 2, box.y + box.height * (0.15 + 0.07 * i));
    await page.mouse.up();
    const drawn = await text(page, '[data-prediction=lenet]');
    check(drawn === '1', `a vertical stroke drawn by hand is a 1 to lenet (got ${drawn})`);
    await page.screenshot({ path: join(shots, 'draw-digit.png'), fullPage: true });
    check(problems.length === 0, `no errors ${problems.join('; ')}`);
    await page.close();
  }

  console.log('activation plots');
  {
    const { page, problems } = await open('/guide/activations');
    await page.waitForSelector('[data-activation]', { timeout: WAIT });
    check(await page.locator('[data-activation]').count() === 7, 'seven activations plotted with their derivatives');
    check(problems.length === 0, `no errors ${problems.join('; ')}`);
    await page.close();
  }
} finally {
  await browser.close();
  server.close();
}
if (failures.length) {
  console.error(`docs browser test: ${failures.length} check(s) failed`);
  process.exit(1);
}
console.log(`docs browser test passed; screenshots in ${relative(process.cwd(), shots) || '.'}`);
