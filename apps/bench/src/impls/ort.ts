// ONNX Runtime Web on its WebAssembly execution provider (SIMD; one thread in the bench's process, more in a
// process of its own: src/ort-threads.ts): a Gemm (or MatMul) graph built in
// memory for the GEMM cases (@backprop/nn's encodeOnnx), and the zoo models as exportOnnx writes them.
import * as ort from 'onnxruntime-web';
import type { GemmCase, Impl, InferenceCase, Prepared } from '../cases';
import { sink } from '../cases';
import { encodeOnnx, type OnnxGraph, type OnnxNode } from '@backprop/nn';

/** A prepared case around an ONNX model: the session is created on first activation (it is asynchronous). */
function session(model: Uint8Array, feeds: Record<string, ort.Tensor>, outputName = 'Y'): Prepared {
  let created: ort.InferenceSession | null = null;
  let last: Float32Array = new Float32Array(0);
  return {
    async activate() {
      if (created) return;
      // ORT's Emscripten glue installs node's worker_threads Worker as a global in Node, even with one thread;
      // jax-js then believes it can run threads and compiles kernels for a shared memory it never gets.
      const hadWorker = 'Worker' in globalThis;
      created = await ort.InferenceSession.create(model, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
      if (!hadWorker) delete (globalThis as { Worker?: unknown }).Worker;
    },
    async run() {
      const out = (await created!.run(feeds))[outputName]!;
      last = out.data as Float32Array; // the output, copied out of the WebAssembly heap
      sink.value += last[0]!;
      out.dispose();
    },
    output: () => last,
    dispose() {
      void created?.release();
      for (const t of Object.values(feeds)) t.dispose();
    },
  };
}

/** A float32 graph with fixed dims and output Y, at opset 17. */
function onnxModel(inputs: [string, number[]][], outputDims: number[], nodes: OnnxNode[]): Uint8Array {
  const graph: OnnxGraph = {
    name: 'backprop-bench', nodes, initializers: [],
    inputs: inputs.map(([name, dims]) => ({ name, type: 'float32', dims })),
    outputs: [{ name: 'Y', type: 'float32', dims: outputDims }],
  };
  return encodeOnnx(graph, { opsetVersion: 17 });
}

/** ONNX Runtime Web on `threads` threads: a setting of the whole process, fixed once a session exists. */
export function onnxRuntime(threads = 1): Impl {
  ort.env.wasm.numThreads = threads;
  ort.env.logLevel = 'error';
  return {
    name: threads === 1 ? 'ort-wasm' : `ort-wasm-t${threads}`,
    gemm({ M, N, K, transA, transB, batch }: GemmCase, a: Float32Array, b: Float32Array): Prepared {
      const lead = batch === undefined ? [] : [batch];
      const [aDims, bDims] = [[...lead, ...(transA ? [K, M] : [M, K])], [...lead, ...(transB ? [N, K] : [K, N])]];
      // Gemm is 2-D only; a stack of matrices is a MatMul (numpy semantics), whose operands are never transposed here.
      const node: OnnxNode = batch === undefined
        ? { op: 'Gemm', inputs: ['A', 'B'], outputs: ['Y'], attributes: { transA: { int: Number(transA) }, transB: { int: Number(transB) } } }
        : { op: 'MatMul', inputs: ['A', 'B'], outputs: ['Y'] };
      const model = onnxModel([['A', aDims], ['B', bDims]], [...lead, M, N], [node]);
      return session(model, { A: new ort.Tensor('float32', a, aDims), B: new ort.Tensor('float32', b, bDims) });
    },
    inference(c: InferenceCase, x: Float32Array): Prepared {
      // The shipped model as exportOnnx writes it; images go in as [n, c, h, w], the shape ORT's Conv takes.
      const dims = c.image ? [c.batch, ...c.image] : [c.batch, c.features];
      return session(c.onnx, { input: new ort.Tensor('float32', x, dims) }, 'output');
    },
  };
}
