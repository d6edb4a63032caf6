// ONNX Runtime Web on its WebAssembly execution provider (single thread, SIMD), on graphs built in memory
// (@backprop/nn's encodeOnnx): Gemm for the GEMM cases, Sub/Div/Gemm/Tanh/Relu and Conv/MaxPool/Flatten for the zoo models' forward passes.
import * as ort from 'onnxruntime-web';
import type { GemmCase, Impl, InferenceCase, Prepared } from '../cases';
import { sink } from '../cases';
import { encodeOnnx, type OnnxGraph, type OnnxInitializer, type OnnxNode } from '@backprop/nn';

/** A prepared case around an ONNX model: the session is created on first activation (it is asynchronous). */
function session(model: Uint8Array, feeds: Record<string, ort.Tensor>): Prepared {
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
      const out = (await created!.run(feeds)).Y!;
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
function onnxModel(inputs: [string, number[]][], outputDims: number[], nodes: OnnxNode[], initializers: OnnxInitializer[] = []): Uint8Array {
  const graph: OnnxGraph = {
    name: 'backprop-bench', nodes, initializers,
    inputs: inputs.map(([name, dims]) => ({ name, type: 'float32', dims })),
    outputs: [{ name: 'Y', type: 'float32', dims: outputDims }],
  };
  return encodeOnnx(graph, { opsetVersion: 17 });
}

export function onnxRuntime(): Impl {
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';
  return {
    name: 'ort-wasm',
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
      const nodes: OnnxNode[] = [];
      const initializers: OnnxInitializer[] = [];
      let h = 'X';
      let width = c.features;
      c.layers.forEach((layer, i) => {
        const out = i === c.layers.length - 1 ? 'Y' : `h${i}`;
        if (layer.kind === 'conv') {
          initializers.push({ name: `w${i}`, dims: [layer.out, layer.in, layer.kernel, layer.kernel], data: layer.weight }, { name: `b${i}`, dims: [layer.out], data: layer.bias });
          nodes.push({ op: 'Conv', inputs: [h, `w${i}`, `b${i}`], outputs: [out], attributes: { pads: { ints: [layer.padding, layer.padding, layer.padding, layer.padding] } } });
        } else if (layer.kind === 'maxpool') {
          nodes.push({ op: 'MaxPool', inputs: [h], outputs: [out], attributes: { kernel_shape: { ints: [layer.kernel, layer.kernel] }, strides: { ints: [layer.kernel, layer.kernel] } } });
        } else if (layer.kind === 'flatten') {
          nodes.push({ op: 'Flatten', inputs: [h], outputs: [out], attributes: { axis: { int: 1 } } });
        } else if (layer.kind === 'standardize') {
          initializers.push({ name: `mean${i}`, dims: [width], data: layer.mean }, { name: `std${i}`, dims: [width], data: layer.std });
          nodes.push({ op: 'Sub', inputs: [h, `mean${i}`], outputs: [`c${i}`] }, { op: 'Div', inputs: [`c${i}`, `std${i}`], outputs: [out] });
        } else if (layer.kind === 'linear') {
          initializers.push({ name: `w${i}`, dims: [layer.out, layer.in], data: layer.weight }, { name: `b${i}`, dims: [layer.out], data: layer.bias });
          nodes.push({ op: 'Gemm', inputs: [h, `w${i}`, `b${i}`], outputs: [out], attributes: { transB: { int: 1 } } });
          width = layer.out;
        } else {
          nodes.push({ op: layer.kind === 'tanh' ? 'Tanh' : 'Relu', inputs: [h], outputs: [out] });
        }
        h = out;
      });
      // Images go in as [n, c, h, w]: the same values, the shape ORT's Conv takes.
      const dims = c.image ? [c.batch, ...c.image] : [c.batch, c.features];
      const model = onnxModel([['X', dims]], [c.batch, width], nodes, initializers);
      return session(model, { X: new ort.Tensor('float32', x, dims) });
    },
  };
}
