import { KernelUnavailableError } from './errors';
import { relaxedSimdModule, simdModule } from './generated/modules';
import { Heap } from './heap';
import type { WasmExports } from './wasm-exports';

export type SimdLevel = 'relaxed-simd' | 'simd';

const INITIAL_PAGES = 16; // 1 MiB; the heap grows on demand
const MAX_PAGES = 65536;

/** One instantiated kernel module with its own memory and heap. */
export interface Instance {
  readonly level: SimdLevel;
  readonly exports: WasmExports;
  readonly heap: Heap;
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const moduleBytes: Record<SimdLevel, () => Uint8Array<ArrayBuffer>> = {
  'relaxed-simd': () => decodeBase64(relaxedSimdModule),
  simd: () => decodeBase64(simdModule),
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

function imports(): { memory: WebAssembly.Memory; imports: WebAssembly.Imports } {
  const memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAX_PAGES });
  const abort = (): never => {
    throw new Error('backprop kernel aborted');
  };
  return { memory, imports: { env: { memory, abort } } };
}

function finish(level: SimdLevel, instance: WebAssembly.Instance, memory: WebAssembly.Memory): Instance {
  const exports = instance.exports as unknown as WasmExports;
  return { level, exports, heap: new Heap(memory, exports.heapBase()) };
}

/**
 * Instantiates synchronously. Works in Node and in workers; a browser's main thread refuses to compile
 * modules over 4 KB synchronously (RangeError), in which case use instantiateAsync.
 */
export function instantiateSync(level: SimdLevel): Instance {
  const { memory, imports: env } = imports();
  const instance = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes[level]()), env);
  return finish(level, instance, memory);
}

export async function instantiateAsync(level: SimdLevel): Promise<Instance> {
  const { memory, imports: env } = imports();
  const { instance } = await WebAssembly.instantiate(moduleBytes[level](), env);
  return finish(level, instance, memory);
}
