// Memory in the programs users write, with no dispose(), scope() or tidy(): kernel memory and the tensors in
// it (memory()) at the start and the end of each pattern. `pnpm bench:memory` measures the workspace's build
// and writes results/memory.json and results/memory.md; `--packages DIR --label TEXT` measures another build
// (DIR/<package>/dist, e.g. a checkout of an earlier version) and adds its column, so a before and an after
// come from the same script on the same machine.
import { writeFileSync, readFileSync, existsSync } from 'node:fs';
import { createServer, request, Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import { spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** What the patterns use of the packages (present in every version measured). */
interface Packages {
  autograd: {
    tensor(data: number[][], options?: object): Tensor;
    noGrad<T>(fn: () => T): T;
    memory(): { liveTensors: number; wasmBytes: number };
    manualSeed(seed: number): void;
  };
  nn: {
    Sequential: new (...layers: unknown[]) => { forward(x: Tensor): Tensor; parameters(): Tensor[] };
    Linear: new (inputs: number, outputs: number) => unknown;
    Tanh: new () => unknown;
    binaryCrossEntropyWithLogits(output: Tensor, target: Tensor): Tensor;
  };
  optim: { SGD: new (params: Tensor[], options: { lr: number }) => { zeroGrad(): void; step(): void } };
  data: { mnist(): Promise<{ x: Tensor }> };
  zoo: { deepMlp: { load(): Promise<{ model: { forward(x: Tensor): Tensor }; predict(x: Tensor): Tensor }> } };
}

interface Tensor {
  readonly shape: readonly number[];
  backward(): void;
  values(): ArrayLike<number>;
  item(): number;
  argmax(axis: number): Tensor;
  indexSelect(rows: number[]): Tensor;
  slice(start: number, end: number): Tensor;
}

interface Reading { liveTensors: number; wasmMB: number }
/** memory() when a pattern starts, halfway (after warm-up), and at its end. */
interface Outcome { label: string; start: Reading; warm: Reading; end: Reading; note?: string }

const MB = 1024 * 1024;

function read(p: Packages): Reading {
  const m = p.autograd.memory();
  return { liveTensors: m.liveTensors, wasmMB: Math.round((m.wasmBytes / MB) * 10) / 10 };
}

/** An HTTP server on 127.0.0.1 answering `requests` requests, 16 in flight, each with `handle`. */
async function serve(p: Packages, requests: number, handle: (k: number) => Promise<number>, want: ArrayLike<number>): Promise<Reading[]> {
  const readings: Reading[] = [read(p)];
  let served = 0;
  const server = createServer((req, res) => {
    const k = Number(new URL(req.url!, 'http://x').searchParams.get('k'));
    handle(k).then((id) => {
      res.end(String(id));
      if (++served === requests / 2) readings.push(read(p));
    }, (error: unknown) => res.writeHead(500).end(String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  const get = (k: number): Promise<string> => new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: `/?k=${k}`, agent }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(body))));
    }).on('error', reject).end();
  });
  try {
    let next = 0;
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (next < requests) {
        const k = next++ % 2000;
        const answer = Number(await get(k));
        if (answer !== want[k]) throw new Error(`digit ${k}: answered ${answer}, want ${want[k]}`);
      }
    }));
  } finally {
    agent.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
  readings.push(read(p));
  return readings;
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

type Pattern = (p: Packages) => Promise<Outcome>;

/** The deep MLP, 2,000 MNIST digits, and its answers for them. */
async function setUp(p: Packages): Promise<{ model: Awaited<ReturnType<Packages['zoo']['deepMlp']['load']>>; images: Tensor; want: ArrayLike<number> }> {
  const model = await p.zoo.deepMlp.load();
  const images = (await p.data.mnist()).x.slice(0, 2000);
  return { model, images, want: p.autograd.noGrad(() => model.model.forward(images).argmax(1)).values() };
}

function server(label: string, handle: (p: Packages, model: Awaited<ReturnType<typeof setUp>>['model'], x: Tensor) => Promise<number>): Pattern {
  return async (p) => {
    const { model, images, want } = await setUp(p);
    const [start, warm, end] = await serve(p, 20_000, (k) => handle(p, model, images.indexSelect([k])), want);
    return { label, start: start!, warm: warm!, end: end! };
  };
}

const patterns: Pattern[] = [
  server('HTTP server, 20,000 requests of the deep MLP: `model.forward(x)`', async (_p, model, x) => {
    const logits = model.model.forward(x);
    await tick();
    return logits.argmax(1).item();
  }),
  server('the same inside `noGrad`', async (p, model, x) => {
    const logits = p.autograd.noGrad(() => model.model.forward(x));
    await tick();
    return logits.argmax(1).item();
  }),
  server("the same with the zoo's `predict()`", async (_p, model, x) => {
    const ids = model.predict(x);
    await tick();
    return ids.item();
  }),
  async (p) => {
    const label = 'batch evaluation under `noGrad`, 300 batches of 2,000 rows';
    const { model, images } = await setUp(p);
    const start = read(p);
    let warm = start;
    let batch = 0;
    try {
      for (; batch < 300; batch++) {
        p.autograd.noGrad(() => model.model.forward(images).argmax(1)).values();
        if (batch === 149) warm = read(p);
      }
      return { label, start, warm, end: read(p) };
    } catch (error) {
      return { label, start, warm, end: read(p), note: `${(error as Error).name} at batch ${batch + 1}` };
    }
  },
  (p) => {
    p.autograd.manualSeed(0);
    const net = new p.nn.Sequential(new p.nn.Linear(2, 8), new p.nn.Tanh(), new p.nn.Linear(8, 1));
    const optimizer = new p.optim.SGD(net.parameters(), { lr: 0.5 });
    const start = read(p);
    let warm = start;
    for (let step = 0; step < 10_000; step++) {
      optimizer.zeroGrad();
      const loss = p.nn.binaryCrossEntropyWithLogits(net.forward(p.autograd.tensor([[0, 0], [0, 1], [1, 0], [1, 1]])), p.autograd.tensor([[0], [1], [1], [0]]));
      loss.backward();
      optimizer.step();
      if (step === 4_999) warm = read(p);
    }
    return Promise.resolve({ label: 'training loop, 10,000 steps, `tensor(xs)` every step', start, warm, end: read(p) });
  },
];

interface Column { label: string; outcomes: Outcome[] }

function report(columns: Column[]): string {
  const both = (r: Reading): string => `${r.liveTensors.toLocaleString('en')} / ${r.wasmMB} MB`;
  const cell = (o: Outcome | undefined): string => (o ? `${[o.start, o.warm, o.end].map(both).join(' -> ')}${o.note ? ` (${o.note})` : ''}` : '');
  const rows = columns[0]!.outcomes.map((o, i) => `| ${o.label} | ${columns.map((c) => cell(c.outcomes[i])).join(' | ')} |`);
  return [
    'Live tensors (tensors with data in kernel memory) / WebAssembly memory at the start of each pattern -> halfway -> at its end, measured by `pnpm bench:memory` (apps/bench/src/memory.ts), each pattern in a fresh process.',
    '',
    `| pattern | ${columns.map((c) => c.label).join(' | ')} |`,
    `| --- | ${columns.map(() => '---').join(' | ')} |`,
    ...rows,
    '',
  ].join('\n');
}

/** Runs one pattern in a process of its own (so each starts from an empty heap) and returns its outcome. */
function inChild(index: number, args: readonly string[]): Promise<Outcome> {
  // Another build is measured as published (its dist), so the workspace's source condition is dropped.
  const flags = args.includes('--packages') ? process.execArgv.filter((f) => !f.startsWith('--conditions')) : process.execArgv;
  const child = spawn(process.execPath, [...flags, fileURLToPath(import.meta.url), ...args, '--pattern', String(index)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as Outcome) : reject(new Error(`pattern ${index} exited with ${code}`))));
  });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string): string | undefined => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const dir = option('--packages');
  const pattern = option('--pattern');
  if (pattern !== undefined) {
    const load = async (name: string): Promise<unknown> => (dir ? import(pathToFileURL(`${dir}/${name}/dist/index.js`).href) : import(`@backprop/${name}`));
    const [autograd, nn, optim, data, zoo] = await Promise.all(['autograd', 'nn', 'optim', 'data', 'zoo'].map(load));
    process.stdout.write(JSON.stringify(await patterns[Number(pattern)]!({ autograd, nn, optim, data, zoo } as Packages)));
    return;
  }
  const label = option('--label') ?? 'this version';
  const outcomes: Outcome[] = [];
  for (let i = 0; i < patterns.length; i++) {
    outcomes.push(await inChild(i, args));
    console.log(`${outcomes[i]!.label}: done`);
  }
  const json = new URL('../results/memory.json', import.meta.url);
  const columns: Column[] = existsSync(json) ? (JSON.parse(readFileSync(json, 'utf8')) as Column[]).filter((c) => c.label !== label) : [];
  columns.push({ label, outcomes });
  writeFileSync(json, `${JSON.stringify(columns, null, 1)}\n`);
  writeFileSync(new URL('../results/memory.md', import.meta.url), report(columns));
  console.log(report(columns));
}

await main();
