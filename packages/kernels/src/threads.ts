// Worker threads that run kernels on the one shared WebAssembly.Memory: worker_threads in Node, Web Workers in
// browsers. Each worker instantiates the same compiled module on the same memory and then waits on a slot of a
// small shared control buffer; a call is the name of a WASM export and its arguments. The calling thread runs
// its own share of a split kernel and waits for the rest, so the API stays synchronous.

import type * as WorkerThreads from 'node:worker_threads';
import type { GrowableMemory } from './heap';

/** Per worker: [request sequence, done sequence, failed flag, export index, argument count]. */
const FLAGS = 5;
const MAX_ARGS = 24;
/**
 * How long a thread spins for its partner before it sleeps in Atomics.wait: the caller on a worker's done flag,
 * a worker that has finished a call on its next request. Waking from a wait took tens of microseconds here, per
 * split kernel, and far longer after the process had idled (the VM's second core is slow to answer then); a
 * training step's split kernels come tens of microseconds apart. Spinning up to 1 ms made the MNIST-MLP step on
 * 2 threads 5-10% faster on the caller's side, and the worker's spin took it from 1.5 to 1.4 ms at best. A worker
 * spins only right after a call, so an idle pool costs no core (LLVM's OpenMP runtime spins 200 ms by default).
 */
const SPIN_MS = 1;

/** The control buffer: the flags of every worker, then each worker's arguments (float64, 8-byte aligned). */
const flagBytes = (workers: number): number => Math.ceil((4 * FLAGS * workers) / 8) * 8;
const argsOffset = (workers: number, slot: number): number => flagBytes(workers) + 8 * MAX_ARGS * slot;

// The worker's whole program, as a string: it is handed to `new Worker` directly (Node, eval) or as a Blob URL
// (browsers), so no bundler has to find a separate file. It reads its setup from the first message.
const WORKER_SOURCE = `
const port = typeof globalThis.postMessage === 'function' && typeof globalThis.importScripts === 'function'
  ? globalThis : require('node:worker_threads').parentPort;
const listen = (fn) => (port.on ? port.on('message', fn) : port.addEventListener('message', (e) => fn(e.data)));
listen(({ module, memory, control, names, slot, flags: FLAGS, argsOffset, maxArgs: MAX_ARGS, spinMs }) => {
  let exports;
  try {
    exports = new WebAssembly.Instance(module, { env: { memory, abort: () => { throw new Error('backprop kernel aborted'); } } }).exports;
  } catch (error) {
    port.postMessage({ error: String(error) });
    return;
  }
  const functions = names.map((name) => exports[name]);
  const flags = new Int32Array(control, 0, FLAGS * (slot + 1));
  const args = new Float64Array(control, argsOffset, MAX_ARGS);
  const base = FLAGS * slot;
  port.postMessage({ ready: true });
  let seen = 0;
  for (;;) {
    // Wait for a new request: a wake-up alone is not one (the caller may notify late, after this worker has
    // already seen the request, done it and come back to wait).
    let next;
    const spinEnd = performance.now() + spinMs; // see SPIN_MS
    while ((next = Atomics.load(flags, base)) === seen && performance.now() < spinEnd);
    while ((next = Atomics.load(flags, base)) === seen) Atomics.wait(flags, base, seen);
    seen = next;
    if (seen < 0) return;
    let failed = 0;
    try {
      // The result (a kernel that returns one) goes back in the first argument's place.
      args[0] = functions[flags[base + 3]](...args.subarray(0, flags[base + 4])) ?? 0;
    } catch {
      failed = 1;
    }
    flags[base + 2] = failed;
    Atomics.store(flags, base + 1, seen);
    Atomics.notify(flags, base + 1);
  }
});
`;

interface Thread {
  postMessage(message: unknown): void;
  terminate(): unknown;
  /** Node: lets the process exit while this thread waits for work. */
  unref?(): void;
}

/** What a pool needs to start a worker in this runtime, or why it cannot. */
type Spawn = (onMessage: (message: { ready?: boolean; error?: string }) => void, onError: (error: unknown) => void) => Thread;

function spawner(): Spawn | string {
  const getBuiltin = (globalThis as { process?: { getBuiltinModule?: (name: string) => unknown } }).process?.getBuiltinModule;
  const workerThreads = getBuiltin?.('node:worker_threads') as typeof WorkerThreads | undefined;
  if (workerThreads) {
    return (onMessage, onError) => {
      const worker = new workerThreads.Worker(WORKER_SOURCE, { eval: true });
      worker.on('message', onMessage);
      worker.on('error', onError);
      return worker;
    };
  }
  if (typeof Worker === 'function' && typeof Blob === 'function' && typeof URL.createObjectURL === 'function') {
    const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
    return (onMessage, onError) => {
      const worker = new Worker(url);
      worker.onmessage = (e: MessageEvent<{ ready?: boolean; error?: string }>) => onMessage(e.data);
      worker.onerror = (e) => onError(e.message);
      return worker;
    };
  }
  return 'this runtime has no worker threads (neither Node worker_threads nor Web Workers)';
}

/** A share of a split kernel: a WASM export by name and its numeric arguments. */
export interface Call {
  name: string;
  args: number[];
}

export class WorkerPool {
  private sequence = 0;
  private stopped = false;
  private readonly flags: Int32Array;
  private readonly args: Float64Array[];
  private readonly nameIndex: Map<string, number>;
  /** Whether this thread may block in Atomics.wait (a browser's main thread may not, so it spins). */
  private readonly canBlock: boolean;

  private constructor(private readonly threads: Thread[], control: SharedArrayBuffer, names: string[]) {
    this.flags = new Int32Array(control, 0, FLAGS * threads.length);
    this.args = threads.map((_, slot) => new Float64Array(control, argsOffset(threads.length, slot), MAX_ARGS));
    this.nameIndex = new Map(names.map((name, i) => [name, i]));
    const onMainThreadOfPage = typeof (globalThis as { document?: unknown }).document === 'object';
    this.canBlock = !onMainThreadOfPage;
  }

  /** How many worker threads (the caller is one more). */
  get size(): number {
    return this.threads.length;
  }

  /** Starts `count` workers on `module` and `memory` (shared); resolves when every one is ready. */
  static async start(count: number, module: object, memory: GrowableMemory): Promise<WorkerPool> {
    const spawn = spawner();
    if (typeof spawn === 'string') throw new Error(spawn);
    const names = WebAssembly.Module.exports(module as WebAssembly.Module).filter((e) => e.kind === 'function').map((e) => e.name);
    const control = new SharedArrayBuffer(flagBytes(count) + 8 * MAX_ARGS * count);
    const threads: Thread[] = [];
    try {
      await Promise.all(Array.from({ length: count }, (_, slot) => new Promise<void>((resolve, reject) => {
        const thread = spawn((message) => (message.error ? reject(new Error(`a kernel thread failed to start: ${message.error}`)) : resolve()), reject);
        threads.push(thread);
        thread.postMessage({ module, memory, control, names, slot, flags: FLAGS, argsOffset: argsOffset(count, slot), maxArgs: MAX_ARGS, spinMs: SPIN_MS });
      })));
    } catch (error) {
      for (const thread of threads) void thread.terminate();
      throw error;
    }
    // Referenced while starting (so an await on the start keeps Node running); a waiting thread keeps nothing alive.
    for (const thread of threads) thread.unref?.();
    return new WorkerPool(threads, control, names);
  }

  /**
   * Runs calls[0] on this thread and the others on the workers (at most `size`), and returns once all are done,
   * with what each call returned, in order (0 for a kernel that returns nothing). `local` runs a call on this
   * thread's instance.
   */
  run(calls: readonly Call[], local: (call: Call) => number | void): number[] {
    const sequence = ++this.sequence;
    const used = calls.length - 1;
    if (used > this.threads.length) throw new RangeError(`WorkerPool.run: ${calls.length} calls for ${this.threads.length + 1} threads`);
    for (let slot = 0; slot < used; slot++) {
      const { name, args } = calls[slot + 1]!;
      const index = this.nameIndex.get(name);
      if (index === undefined) throw new Error(`WorkerPool.run: the kernel module exports no function ${name}`);
      if (args.length > MAX_ARGS) throw new RangeError(`WorkerPool.run: ${name} takes at most ${MAX_ARGS} arguments here`);
      this.args[slot]!.set(args);
      const base = FLAGS * slot;
      this.flags[base + 3] = index;
      this.flags[base + 4] = args.length;
      Atomics.store(this.flags, base, sequence);
      Atomics.notify(this.flags, base);
    }
    let failure: unknown;
    const results = [0];
    try {
      results[0] = local(calls[0]!) ?? 0;
    } catch (error) {
      failure = error;
    }
    for (let slot = 0; slot < used; slot++) {
      const done = FLAGS * slot + 1;
      if (this.canBlock) {
        const start = performance.now();
        while (Atomics.load(this.flags, done) !== sequence && performance.now() - start < SPIN_MS); // see SPIN_MS
        for (let seen = Atomics.load(this.flags, done); seen !== sequence; seen = Atomics.load(this.flags, done)) Atomics.wait(this.flags, done, seen);
      } else {
        while (Atomics.load(this.flags, done) !== sequence); // spin: a page's main thread may not block
      }
      if (this.flags[FLAGS * slot + 2]) failure ??= new Error(`backprop kernel ${calls[slot + 1]!.name} failed on a worker thread`);
      results.push(this.args[slot]![0]!);
    }
    if (failure !== undefined) throw failure as Error;
    return results;
  }

  /** Stops every worker (once; later calls do nothing). */
  terminate(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (let slot = 0; slot < this.threads.length; slot++) {
      Atomics.store(this.flags, FLAGS * slot, -1);
      Atomics.notify(this.flags, FLAGS * slot);
      void this.threads[slot]!.terminate();
    }
  }
}
