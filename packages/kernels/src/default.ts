import { KernelUnavailableError } from './errors';
import { Kernels } from './kernels';
import { detectSimdLevel, instantiateAsync, instantiateSync, sharedMemoryAvailable, type Instance, type SimdLevel } from './loader';
import { WorkerPool } from './threads';

/**
 * The process-wide kernels on the best SIMD level, on shared memory where the runtime allows it (so worker
 * threads can share the work). Node and workers instantiate on first use; a browser's main thread needs
 * `await ready()` first (it refuses to compile modules synchronously).
 */
export const kernels = new Kernels(() => {
  const level = detectSimdLevel();
  try {
    return started(instantiateSync(level, sharedMemoryAvailable()));
  } catch (error) {
    if (error instanceof RangeError) unavailable(error);
    throw error;
  }
});

function unavailable(cause: RangeError): never {
  throw new KernelUnavailableError(
    'the WebAssembly kernels are not instantiated yet: this runtime only compiles them asynchronously, so `await ready()` from @backprop/kernels first',
    { cause },
  );
}

let pending: Promise<void> | undefined;

/**
 * Resolves once the kernels are instantiated and their threads have started (or the console said why they
 * could not). Never needed in Node, where the kernels load on first use and the threads join when ready.
 */
export function ready(): Promise<void> {
  if (kernels.loaded) return starting;
  pending ??= instantiateAsync(detectSimdLevel(), sharedMemoryAvailable()).then((instance) => kernels.install(started(instance)));
  return pending.then(() => starting);
}

// Threads: every core by default (at most DEFAULT_MAX_THREADS); BACKPROP_NUM_THREADS=n (Node) or setNumThreads(n)
// asks for another count. Workers start in the background when the kernels load; until they are ready the
// kernels run on this thread alone.
let wantedThreads: number | undefined;
let pool: WorkerPool | undefined;
let starting: Promise<void> = Promise.resolve();
let warned = false;

/**
 * The default's ceiling: each worker is a JavaScript runtime of its own (megabytes of memory even when idle),
 * and a training step's kernels seldom have work for more threads than this. setNumThreads goes higher.
 */
export const DEFAULT_MAX_THREADS = 8;

export function defaultThreads(): number {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.BACKPROP_NUM_THREADS;
  if (env === undefined) return Math.min(DEFAULT_MAX_THREADS, availableCores());
  const n = Number(env);
  if (!Number.isInteger(n) || n < 1 || env.trim() === '') throw new RangeError(`BACKPROP_NUM_THREADS must be a positive integer, got '${env}'`);
  return n;
}

/** The cores this process may use: Node's availableParallelism, a browser's hardwareConcurrency, else 1. */
function availableCores(): number {
  const getBuiltin = (globalThis as { process?: { getBuiltinModule?: (name: string) => unknown } }).process?.getBuiltinModule;
  const os = getBuiltin?.('node:os') as { availableParallelism?: () => number; cpus: () => unknown[] } | undefined;
  const cores = os ? (os.availableParallelism?.() ?? os.cpus().length) : (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return typeof cores === 'number' && Number.isInteger(cores) && cores >= 1 ? cores : 1;
}

/** Starts the wanted threads' workers for a freshly loaded instance (in the background). */
function started(instance: Instance): Instance {
  wantedThreads ??= defaultThreads();
  if (wantedThreads > 1) starting = resize(instance, wantedThreads).catch(noThreads);
  return instance;
}

/** Says once, on the console, why the kernels run on one thread. */
function noThreads(reason: unknown): void {
  if (warned) return;
  warned = true;
  const why = reason instanceof Error ? reason.message : String(reason);
  console.warn(`backprop: the kernels run on one thread: ${why} (setNumThreads(1) silences this)`);
}

async function resize(instance: Instance, n: number): Promise<void> {
  if ((pool?.size ?? 0) === n - 1) return;
  const previous = pool;
  pool = undefined;
  kernels.setPool(undefined);
  previous?.terminate();
  if (n <= 1) return;
  if (typeof SharedArrayBuffer !== 'function' || !(instance.memory.buffer instanceof SharedArrayBuffer)) {
    throw new Error(
      (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === false
        ? 'this page is not cross-origin isolated: serve it with the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp'
        : 'this runtime cannot share WebAssembly memory between threads (no SharedArrayBuffer)',
    );
  }
  const next = await WorkerPool.start(n - 1, instance.module, instance.memory);
  if (wantedThreads !== n) {
    next.terminate(); // asked for another count meanwhile
    return;
  }
  pool = next;
  kernels.setPool(next);
}

/**
 * Splits the heavy kernels (GEMM, convolutions) over `n` threads: this one and n - 1 workers on the kernels'
 * shared memory. Resolves once they are running. Where threads are unavailable (a page that is not
 * cross-origin isolated), the kernels stay on one thread and the console says why, once; `setNumThreads(1)`
 * asks for one thread and silences that.
 */
export async function setNumThreads(n: number): Promise<void> {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`setNumThreads: n must be a positive integer, got ${typeof n === 'number' ? n : typeof n}`);
  wantedThreads = n;
  if (n === 1) warned = true;
  await starting;
  if (!kernels.loaded) await ready();
  starting = resize(kernels.load(), n).catch(noThreads);
  await starting;
}

/** The threads the kernels use now (1 until the workers are ready, and where threads are unavailable). */
export function numThreads(): number {
  return kernels.threads;
}

/** Which build the kernels run: 'relaxed-simd' (fused multiply-add) or 'simd' (SIMD128). */
export function simdLevel(): SimdLevel {
  return kernels.level;
}

/**
 * A separate kernel instance (own memory) on a chosen build, e.g. to compare 'simd' and 'relaxed-simd' in one
 * process. Throws KernelUnavailableError when the runtime cannot validate that build.
 */
export function createKernels(level: SimdLevel = detectSimdLevel()): Kernels {
  const best = detectSimdLevel();
  if (level === 'relaxed-simd' && best !== 'relaxed-simd') {
    throw new Error("createKernels: this runtime does not support relaxed SIMD (on Node 20 run with --experimental-wasm-relaxed-simd)");
  }
  return new Kernels(() => instantiateSync(level));
}
