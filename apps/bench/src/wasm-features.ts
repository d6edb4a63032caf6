// What WebAssembly this runtime offers backprop, the same way in Node and in a page (no Node imports here).
import { createKernels, simdLevel } from '@backprop/kernels';

export interface WasmFeatures { simd: boolean; relaxedSimd: boolean; backpropLevel: string }

export function wasmFeatures(): WasmFeatures {
  let relaxedSimd = true;
  try {
    createKernels('relaxed-simd');
  } catch {
    relaxedSimd = false;
  }
  return { simd: true, relaxedSimd, backpropLevel: simdLevel() };
}
