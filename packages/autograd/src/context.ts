import type { Backend } from './backend';
import { ReferenceBackend } from './backends/reference';
import { WasmBackend } from './backends/wasm';

/** Process-wide state: which backend new tensors go to, and whether ops are recorded for backward. */
/** @internal The wasm backend with its concrete type (memory() reads its statistics). */
export const kernelBackend = new WasmBackend();
export const wasmBackend: Backend = kernelBackend;

export const context = {
  backend: wasmBackend,
  gradEnabled: true,
  anomaly: false,
};
export const referenceBackend = new ReferenceBackend();

/** Runs fn with one context setting changed, restoring it afterwards (even when fn throws). */
function withSetting<K extends keyof typeof context, T>(key: K, value: (typeof context)[K], fn: () => T): T {
  const previous = context[key];
  context[key] = value;
  try {
    return fn();
  } finally {
    context[key] = previous;
  }
}

/** Runs fn with `backend` as the backend of the tensors it creates. */
export function withBackend<T>(backend: Backend, fn: () => T): T {
  return withSetting('backend', backend, fn);
}

/** Runs fn without recording ops for backward (inference, optimiser updates), as torch.no_grad(). */
export function noGrad<T>(fn: () => T): T {
  return withSetting('gradEnabled', false, fn);
}

/**
 * Anomaly mode: every op checks its output (and backward every gradient) for NaN or Inf, and throws an
 * AnomalyError naming the first op that produced one. Slower; for debugging.
 */
export function setAnomalyMode(enabled: boolean): void {
  context.anomaly = enabled;
}

export function detectAnomaly<T>(fn: () => T): T {
  return withSetting('anomaly', true, fn);
}

/** ready(): resolves once the kernels are instantiated (needed before creating tensors on a browser's main thread). simdLevel(): the build in use, 'relaxed-simd' or 'simd'. */
export { ready, simdLevel } from '@backprop/kernels';
