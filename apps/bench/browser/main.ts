// The bench's page: the same suites and peers as in Node (no PyTorch), with the options from the query string.
// The driver (src/chromium.ts) reads window.benchResult when window.benchDone is set.
import { kernels, setNumThreads } from '@backprop/kernels';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import tfjsSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import tfjsPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import tfjsThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import * as ort from 'onnxruntime-web';
import ortWasm from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import ortGlue from 'onnxruntime-web/ort-wasm-simd-threaded.mjs?url';
import { suiteNames, type SuiteName } from '../src/args';
import type { GemmCase, Impl } from '../src/cases';
import { peers } from '../src/impls/all';
import { backprop } from '../src/impls/backprop';
import { onnxRuntime } from '../src/impls/ort';
import { runSuites } from '../src/suites/all';
import type { Result } from '../src/suites/run';
import { type WasmFeatures, wasmFeatures } from '../src/wasm-features';

declare global {
  interface Window { benchDone?: boolean; benchResult?: { results: Result[]; wasm: WasmFeatures } | { error: string } }
}

const log = (message: string): void => {
  document.getElementById('log')!.textContent += `\n${message}`;
  console.log(message);
};

/** The columns of the ONNX Runtime page: backprop's SIMD128 GEMM (the reference) and ORT on `threads` threads. */
function ortPage(threads: number): Impl[] {
  const reference = backprop('simd');
  return [{ name: reference.name, gemm: (c: GemmCase, a: Float32Array, b: Float32Array) => reference.gemm!(c, a, b) }, onnxRuntime(threads)];
}

async function main(): Promise<void> {
  const query = new URLSearchParams(location.search);
  const suites = (query.get('suites') ?? suiteNames.join(',')).split(',') as SuiteName[];
  const quick = query.get('quick') === '1';
  const threads = query.has('threads') ? Number(query.get('threads')) : undefined;
  if (threads !== undefined && !crossOriginIsolated) throw new Error('--threads: the bench page is not cross-origin isolated (the server sends COOP/COEP with --threads)');
  // A cross-origin isolated page hands SharedArrayBuffer to every library: jax-js then sizes a worker pool from
  // navigator.hardwareConcurrency. One, so its column stays on one thread like every column but backprop-tN.
  if (threads !== undefined) Object.defineProperty(navigator, 'hardwareConcurrency', { value: 1 });
  // The bundler serves the peers' WebAssembly files; tell each library where (backprop needs nothing).
  setWasmPaths({ 'tfjs-backend-wasm.wasm': tfjsPlain, 'tfjs-backend-wasm-simd.wasm': tfjsSimd, 'tfjs-backend-wasm-threaded-simd.wasm': tfjsThreaded });
  ort.env.wasm.wasmPaths = { wasm: ortWasm, mjs: ortGlue };
  // Every column runs on one thread but backprop-tN, which lifts the limit for its own calls. (Asked before the
  // kernels load, so a page without --threads, not cross-origin isolated, never tries the default of every core.)
  await setNumThreads(threads ?? 1);
  kernels.threadLimit = 1;
  // ONNX Runtime fixes its thread count once per page, so its threaded column runs in a page of its own
  // (?ortThreads=N), beside backprop's SIMD128 column, the reference its outputs are checked against.
  const ortThreads = query.has('ortThreads') ? Number(query.get('ortThreads')) : undefined;
  const impls = ortThreads === undefined ? await peers(threads) : ortPage(ortThreads);
  const tf = await import('@tensorflow/tfjs');
  log(`tfjs-wasm: SIMD ${String(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'))}, threads ${String(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'))}`);
  const results = await runSuites(suites, impls, { quick, runtime: 'chromium', log });
  window.benchResult = { results, wasm: wasmFeatures() };
}

main().catch((error: unknown) => {
  window.benchResult = { error: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error) };
}).finally(() => {
  window.benchDone = true;
});
