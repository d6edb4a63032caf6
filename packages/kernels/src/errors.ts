/** The WebAssembly heap could not grow to fit an allocation. Nothing was allocated or overwritten. */
export class KernelOutOfMemoryError extends Error {
  override name = 'KernelOutOfMemoryError';
}

/** This JavaScript runtime cannot run backprop's kernels (no WebAssembly SIMD, or not instantiated yet). */
export class KernelUnavailableError extends Error {
  override name = 'KernelUnavailableError';
}
