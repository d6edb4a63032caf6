import { KernelUnavailableError } from './errors';
import { relaxedSimdPatch, simdModule } from './generated/modules';
import { patchFunctionBodies } from './module-patch';
import { IMPORT_SECTION, sectionsOf, WasmReader } from './wasm-binary';
import { Heap, type GrowableMemory } from './heap';
import type { WasmExports } from './wasm-exports';

export type SimdLevel = 'relaxed-simd' | 'simd';

const INITIAL_PAGES = 16; // 1 MiB; the heap grows on demand
const MAX_PAGES = 65536;

/** One instantiated kernel module with its own memory and heap. */
export interface Instance {
  readonly level: SimdLevel;
  readonly exports: WasmExports;
  readonly heap: Heap;
  /**
   * The compiled WebAssembly.Module and its memory: workers instantiate the same module on the same (shared)
   * memory. Typed without the DOM library's WebAssembly namespace, so the published types compile under a
   * Node-only configuration.
   */
  readonly module: object;
  readonly memory: GrowableMemory;
}

/**
 * The inlined modules are hex, not base64: base64 splits bytes across characters, which hides the module's
 * repeats from gzip (34 kB against 28 kB gzipped for the SIMD128 build).
 */
function decodeHex(text: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(text.length >> 1);
  const digit = (i: number): number => {
    const c = text.charCodeAt(i);
    return c <= 57 ? c - 48 : c - 87; // '0'-'9', 'a'-'f'
  };
  for (let i = 0; i < bytes.length; i++) bytes[i] = (digit(2 * i) << 4) | digit(2 * i + 1);
  return bytes;
}

/** f's result, computed on the first call: detecting the SIMD level and instantiating need the same bytes. */
function once<T>(f: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= f());
}

const simdBytes = once(() => decodeHex(simdModule));
const moduleBytes: Record<SimdLevel, () => Uint8Array<ArrayBuffer>> = {
  'relaxed-simd': once(() => patchFunctionBodies(simdBytes(), decodeHex(relaxedSimdPatch))),
  simd: simdBytes,
};

/** The best SIMD level this runtime validates: relaxed SIMD (fused multiply-add) if it can, else SIMD128. */
export function detectSimdLevel(validate: (bytes: Uint8Array<ArrayBuffer>) => boolean = (b) => WebAssembly.validate(b)): SimdLevel {
  if (typeof WebAssembly !== 'object') {
    throw new KernelUnavailableError('backprop needs WebAssembly, which this JavaScript runtime does not provide');
  }
  if (validate(moduleBytes['relaxed-simd']())) return 'relaxed-simd';
  if (validate(moduleBytes.simd())) return 'simd';
  throw new KernelUnavailableError(
    'backprop needs WebAssembly SIMD (fixed-width SIMD128), which this runtime does not support: ' +
      'use Node >= 16.4, Chrome/Edge >= 91, Firefox >= 89 or Safari >= 16.4',
  );
}

/**
 * Whether this runtime can share WebAssembly memory between threads: Node, or a cross-origin isolated page
 * (COOP/COEP headers), or a worker of one.
 */
export function sharedMemoryAvailable(): boolean {
  if (typeof SharedArrayBuffer !== 'function') return false;
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  return isolated !== false;
}

/**
 * The module with its imported memory declared shared. asc writes the import's limits as flag 0x01 (minimum
 * and maximum); 0x03 adds "shared", one byte in place. The kernels synchronise in JavaScript (Atomics on a
 * separate buffer), so the code itself needs no atomic instructions.
 */
export function withSharedMemory(bytes: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  const out = bytes.slice();
  const imports = sectionsOf(out).find((s) => s.id === IMPORT_SECTION);
  const reader = new WasmReader(out, imports?.start ?? out.length);
  const skipName = (): void => {
    const length = reader.u32();
    reader.at += length;
  };
  for (let count = imports ? reader.u32() : 0; count > 0; count--) {
    skipName();
    skipName();
    const kind = reader.byte();
    if (kind === 2) {
      if (out[reader.at] !== 0x01) throw new Error(`the kernel module's memory import has limits flag ${out[reader.at]}, expected 0x01 (minimum and maximum)`);
      out[reader.at] = 0x03;
      return out;
    }
    if (kind === 0) reader.u32(); // a function: its type index
    else if (kind === 1) { reader.at++; const flag = reader.byte(); reader.u32(); if (flag & 1) reader.u32(); } // a table: type, limits
    else reader.at += 2; // a global: value type, mutability
  }
  throw new Error("the kernel module imports no memory; it must be built with --importMemory");
}

function memoryFor(shared: boolean): WebAssembly.Memory {
  return new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAX_PAGES, shared });
}

function importsFor(memory: WebAssembly.Memory): WebAssembly.Imports {
  const abort = (): never => {
    throw new Error('backprop kernel aborted');
  };
  return { env: { memory, abort } };
}

function finish(level: SimdLevel, module: WebAssembly.Module, instance: WebAssembly.Instance, memory: WebAssembly.Memory): Instance {
  const exports = instance.exports as unknown as WasmExports;
  return { level, exports, heap: new Heap(memory, exports.heapBase()), module, memory };
}

const bytesFor = (level: SimdLevel, shared: boolean): Uint8Array<ArrayBuffer> => (shared ? withSharedMemory(moduleBytes[level]()) : moduleBytes[level]());

/**
 * Instantiates synchronously. Works in Node and in workers; a browser's main thread refuses to compile
 * modules over 4 KB synchronously (RangeError), in which case use instantiateAsync. `shared`: on a shared
 * memory, which worker threads can run kernels on too.
 */
export function instantiateSync(level: SimdLevel, shared = false): Instance {
  const memory = memoryFor(shared);
  const module = new WebAssembly.Module(bytesFor(level, shared));
  return finish(level, module, new WebAssembly.Instance(module, importsFor(memory)), memory);
}

export async function instantiateAsync(level: SimdLevel, shared = false): Promise<Instance> {
  const memory = memoryFor(shared);
  const { module, instance } = await WebAssembly.instantiate(bytesFor(level, shared), importsFor(memory));
  return finish(level, module, instance, memory);
}
