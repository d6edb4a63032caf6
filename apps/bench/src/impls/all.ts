import type { Impl } from '../cases';
import { backprop, backpropThreads } from './backprop';
import { jax } from './jax';
import { js } from './js';
import { onnxRuntime } from './ort';
import { tfjs } from './tfjs';
import { wasmFeatures } from '../wasm-features';

/**
 * Every in-process implementation this runtime can run, backprop's SIMD128 build first (the reference); with
 * `threads`, backprop on that many threads too.
 */
export async function peers(threads?: number): Promise<Impl[]> {
  const list = [backprop('simd')];
  if (wasmFeatures().relaxedSimd) list.push(backprop('relaxed-simd'));
  else console.warn('relaxed SIMD is not available in this runtime: the backprop-relaxed column is left out');
  if (threads !== undefined) list.push(backpropThreads(threads));
  return [...list, await tfjs('wasm'), await tfjs('cpu'), onnxRuntime(), await jax(), js];
}
