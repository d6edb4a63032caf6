import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import type { ElementwiseCase, ElementwiseInputs, GemmCase, Impl, Prepared } from '../cases';
import { sink } from '../cases';

type Backend = 'wasm' | 'cpu';

async function use(backend: Backend): Promise<void> {
  if (tf.getBackend() !== backend) await tf.setBackend(backend);
}

function prepared(backend: Backend, inputs: tf.Tensor[], compute: () => tf.Tensor): Prepared {
  let last: Float32Array = new Float32Array(0);
  return {
    activate: () => use(backend),
    run() {
      const out = compute();
      last = out.dataSync() as Float32Array; // consumes the output (a copy out of the backend)
      sink.value += last[0]!;
      out.dispose();
    },
    output: () => last,
    dispose: () => inputs.forEach((t) => t.dispose()),
  };
}

const forward: Record<ElementwiseCase['op'], (x: tf.Tensor, o: tf.Tensor) => tf.Tensor> = {
  add: (x, o) => tf.add(x, o),
  mul: (x, o) => tf.mul(x, o),
  relu: (x) => tf.relu(x),
  sigmoid: (x) => tf.sigmoid(x),
  tanh: (x) => tf.tanh(x),
  exp: (x) => tf.exp(x),
};

/** TensorFlow.js 4.22 on its WebAssembly (XNNPACK) or plain-JavaScript CPU backend, single-threaded in Node. */
export async function tfjs(backend: Backend): Promise<Impl> {
  if (backend === 'wasm') {
    const { setThreadsCount } = await import('@tensorflow/tfjs-backend-wasm');
    setThreadsCount(1);
  }
  await use(backend);
  const limit = backend === 'cpu' ? 512 ** 3 : Infinity; // the CPU backend needs seconds per call beyond this
  return {
    name: backend === 'wasm' ? 'tfjs-wasm' : 'tfjs-cpu',
    gemm({ M, N, K, transA, transB }: GemmCase, a: Float32Array, b: Float32Array): Prepared | undefined {
      if (M * N * K > limit) return undefined;
      const ta = tf.tensor2d(a, transA ? [K, M] : [M, K]);
      const tb = tf.tensor2d(b, transB ? [N, K] : [K, N]);
      return prepared(backend, [ta, tb], () => tf.matMul(ta, tb, transA, transB));
    },
    elementwise({ op, direction }: ElementwiseCase, { x, other }: ElementwiseInputs): Prepared | undefined {
      if (direction === 'backward') return undefined; // tfjs exposes gradients only through tf.grad (forward included)
      const tx = tf.tensor1d(x);
      const to = tf.tensor1d(other);
      return prepared(backend, [tx, to], () => forward[op](tx, to));
    },
  };
}
