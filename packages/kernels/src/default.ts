import { KernelUnavailableError } from './errors';
import { Kernels } from './kernels';
import { detectSimdLevel, instantiateAsync, instantiateSync, type SimdLevel } from './loader';

/**
 * The process-wide kernels on the best SIMD level. Node and workers instantiate on first use; a browser's
 * main thread needs `await ready()` first (it refuses to compile modules synchronously).
 */
export const kernels = new Kernels(() => {
  const level = detectSimdLevel();
  try {
    return instantiateSync(level);
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

/** Resolves once the kernels are instantiated (a no-op once done; never needed in Node). */
export function ready(): Promise<void> {
  if (kernels.loaded) return Promise.resolve();
  return (pending ??= instantiateAsync(detectSimdLevel()).then((instance) => kernels.install(instance)));
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
