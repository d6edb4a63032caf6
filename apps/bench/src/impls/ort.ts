// ONNX Runtime Web on its WebAssembly execution provider (single thread, SIMD), on graphs built in memory
// (./onnx.ts): Gemm for the GEMM cases, Sub/Div/Gemm/Tanh/Relu and Conv/MaxPool/Flatten for the zoo models' forward passes.
import * as ort from 'onnxruntime-web';
import type { GemmCase, Impl, InferenceCase, Prepared } from '../cases';
import { sink } from '../cases';
import { type OnnxInitializer, type OnnxNode, onnxModel } from './onnx';

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

export function onnxRuntime(): Impl {
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';
  return {
    name: 'ort-wasm',
    gemm({ M, N, K, transA, transB, batch }: GemmCase, a: Float32Array, b: Float32Array): Prepared {
      const lead = batch === undefined ? [] : [batch];
      const [aDims, bDims] = [[...lead, ...(transA ? [K, M] : [M, K])], [...lead, ...(transB ? [N, K] : [K, N])]];
      // Gemm is 2-D only; a stack of matrices is a MatMul (numpy semantics), whose operands are never transposed here.
      const node = batch === undefined
        ? { op: 'Gemm', inputs: ['A', 'B'], output: 'Y', ints: { transA: Number(transA), transB: Number(transB) } }
        : { op: 'MatMul', inputs: ['A', 'B'], output: 'Y' };
      const model = onnxModel({ inputs: [['A', aDims], ['B', bDims]], output: ['Y', [...lead, M, N]], nodes: [node] });
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
          nodes.push({ op: 'Conv', inputs: [h, `w${i}`, `b${i}`], output: out, intLists: { pads: [layer.padding, layer.padding, layer.padding, layer.padding] } });
        } else if (layer.kind === 'maxpool') {
          nodes.push({ op: 'MaxPool', inputs: [h], output: out, intLists: { kernel_shape: [layer.kernel, layer.kernel], strides: [layer.kernel, layer.kernel] } });
        } else if (layer.kind === 'flatten') {
          nodes.push({ op: 'Flatten', inputs: [h], output: out, ints: { axis: 1 } });
        } else if (layer.kind === 'standardize') {
          initializers.push({ name: `mean${i}`, dims: [width], data: layer.mean }, { name: `std${i}`, dims: [width], data: layer.std });
          nodes.push({ op: 'Sub', inputs: [h, `mean${i}`], output: `c${i}` }, { op: 'Div', inputs: [`c${i}`, `std${i}`], output: out });
        } else if (layer.kind === 'linear') {
          initializers.push({ name: `w${i}`, dims: [layer.out, layer.in], data: layer.weight }, { name: `b${i}`, dims: [layer.out], data: layer.bias });
          nodes.push({ op: 'Gemm', inputs: [h, `w${i}`, `b${i}`], output: out, ints: { transB: 1 } });
          width = layer.out;
        } else {
          nodes.push({ op: layer.kind === 'tanh' ? 'Tanh' : 'Relu', inputs: [h], output: out });
        }
        h = out;
      });
      // Images go in as [n, c, h, w]: the same values, the shape ORT's Conv takes.
      const dims = c.image ? [c.batch, ...c.image] : [c.batch, c.features];
      const model = onnxModel({ inputs: [['X', dims]], output: ['Y', [c.batch, width]], nodes, initializers });
      return session(model, { X: new ort.Tensor('float32', x, dims) });
    },
  };
}
