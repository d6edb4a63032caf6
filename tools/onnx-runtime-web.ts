// ONNX Runtime Web as a page uses it: its WASM build (one thread, as the page is not cross-origin isolated) in
// Debian's Chromium through playwright-core, the ONNX files served from memory by a local server. The export tests
// of @backprop/nn (random models of every layer kind) and @backprop/zoo (every zoo model) run their files in it.
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as OrtWeb from 'onnxruntime-web';
import { chromium, type Browser, type Page } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';

/** Whether Chromium is here; in CI it must be (.ci/run installs it), so its absence there is an error. */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI) throw new Error(`the export tests run ONNX Runtime Web in ${CHROMIUM}: .ci/run installs Debian's chromium`);
  return false;
}

export interface OrtInput {
  dtype: 'float32' | 'int32';
  values: ArrayLike<number>;
  dims: readonly number[];
}

const PAGE = `<!doctype html><link rel="icon" href="data:,"><script type="module">
  import * as ort from '/ort/ort.wasm.min.mjs';
  ort.env.wasm.numThreads = 1;
  window.ort = ort;
</script>`;

export class OrtWebPage {
  /** Whatever went wrong in the page (console errors, page errors, failed requests): a run fails on any. */
  private readonly problems: string[] = [];
  private served = 0;

  private constructor(
    private readonly files: Map<string, { body: Uint8Array | string; type: string }>,
    private readonly server: Server,
    private readonly browser: Browser,
    private readonly page: Page,
  ) {
    page.on('pageerror', (e) => this.problems.push(`page error: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && this.problems.push(`console: ${m.text()}`));
    page.on('response', (r) => r.status() >= 400 && this.problems.push(`HTTP ${r.status()}: ${r.url()}`));
  }

  static async open(): Promise<OrtWebPage> {
    const dist = dirname(createRequire(import.meta.url).resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm'));
    const files = new Map<string, { body: Uint8Array | string; type: string }>([['/', { body: PAGE, type: 'text/html' }]]);
    for (const name of ['ort.wasm.min.mjs', 'ort-wasm-simd-threaded.mjs']) files.set(`/ort/${name}`, { body: readFileSync(join(dist, name)), type: 'text/javascript' });
    files.set('/ort/ort-wasm-simd-threaded.wasm', { body: readFileSync(join(dist, 'ort-wasm-simd-threaded.wasm')), type: 'application/wasm' });
    const server = createServer((req, res) => {
      const file = files.get(new URL(req.url ?? '/', 'http://x').pathname);
      if (file) res.writeHead(200, { 'content-type': file.type }).end(file.body);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] });
    const page = await browser.newPage();
    const opened = new OrtWebPage(files, server, browser, page);
    await page.goto(`http://127.0.0.1:${(server.address() as { port: number }).port}/`);
    await page.waitForFunction(() => 'ort' in window);
    return opened;
  }

  /** The model's output (its input is named 'input', its output 'output', as exportOnnx names them). */
  async run(onnxFile: Uint8Array, input: OrtInput): Promise<{ dims: number[]; data: number[] }> {
    const path = `/models/${this.served++}.onnx`;
    this.files.set(path, { body: onnxFile, type: 'application/octet-stream' });
    const output = await this.page.evaluate(async ({ path, dtype, values, dims }) => {
      const ort = (window as unknown as { ort: typeof OrtWeb }).ort;
      const session = await ort.InferenceSession.create(new Uint8Array(await (await fetch(path)).arrayBuffer()), { executionProviders: ['wasm'] });
      const data = dtype === 'int32' ? Int32Array.from(values) : Float32Array.from(values);
      const { output } = await session.run({ input: new ort.Tensor(dtype, data, dims) });
      await session.release();
      if (!output) throw new Error("the model has no output named 'output'");
      return { dims: [...output.dims], data: Array.from(output.data as Float32Array) };
    }, { path, dtype: input.dtype, values: Array.from(input.values), dims: [...input.dims] });
    this.files.delete(path);
    if (this.problems.length > 0) throw new Error(`ONNX Runtime Web's page reported: ${this.problems.join('; ')}`);
    return output;
  }

  /** Closes the browser and the server, and resolves once both are gone. */
  async close(): Promise<void> {
    await this.browser.close();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
