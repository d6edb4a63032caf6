// The union package: tfjs-core with every gradient registered (the core bundle alone lacks most).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import type { ElementwiseCase, ElementwiseInputs, GemmCase, Impl, InferenceCase, Prepared, TrainCase, TrainInputs } from '../cases';
import { sink } from '../cases';

type Backend = 'wasm' | 'cpu';

async function use(backend: Backend): Promise<void> {
  if (tf.getBackend() !== backend) await tf.setBackend(backend);
}

/**
 * Makes `backend` active before creating a case's tensors: tfjs mishandles some tensors made on one backend
 * and used on another (one-hot labels came back as garbage). setBackend is synchronous for an initialised one.
 */
function select(backend: Backend): void {
  if (tf.getBackend() !== backend) void tf.setBackend(backend);
  if (tf.getBackend() !== backend) throw new Error(`tfjs did not switch to the ${backend} backend synchronously`);
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
  // The Emscripten glue of tfjs-backend-wasm installs process handlers that rethrow any error with its whole
  // minified source attached; the bench reports its own errors.
  process.removeAllListeners('uncaughtException');
  process.removeAllListeners('unhandledRejection');
  const limit = backend === 'cpu' ? 512 ** 3 : Infinity; // the CPU backend needs seconds per call beyond this
  return {
    name: backend === 'wasm' ? 'tfjs-wasm' : 'tfjs-cpu',
    gemm({ M, N, K, transA, transB }: GemmCase, a: Float32Array, b: Float32Array): Prepared | undefined {
      if (M * N * K > limit) return undefined;
      select(backend);
      const ta = tf.tensor2d(a, transA ? [K, M] : [M, K]);
      const tb = tf.tensor2d(b, transB ? [N, K] : [K, N]);
      return prepared(backend, [ta, tb], () => tf.matMul(ta, tb, transA, transB));
    },
    inference(c: InferenceCase, x: Float32Array): Prepared {
      select(backend);
      return inference(backend, c, x);
    },
    train(c: TrainCase, inputs: TrainInputs): Prepared {
      select(backend);
      return train(backend, c, inputs);
    },
    elementwise({ op, direction }: ElementwiseCase, { x, other }: ElementwiseInputs): Prepared | undefined {
      if (direction === 'backward') return undefined; // tfjs exposes gradients only through tf.grad (forward included)
      select(backend);
      const tx = tf.tensor1d(x);
      const to = tf.tensor1d(other);
      return prepared(backend, [tx, to], () => forward[op](tx, to));
    },
  };
}

/** The same step as TensorFlow.js users write it: variables, tf.train.sgd, optimizer.minimize. */
function train(backend: Backend, c: TrainCase, inputs: TrainInputs): Prepared {
  const weights = inputs.weights.map((w, i) => tf.variable(tf.tensor2d(w, [c.sizes[i + 1]!, c.sizes[i]!])));
  const biases = inputs.biases.map((b) => tf.variable(tf.tensor1d(b)));
  const x = tf.tensor2d(inputs.x, [c.batch, c.sizes[0]!]);
  const y = c.task === 'binary' ? tf.tensor2d(inputs.y, [c.batch, 1]) : tf.oneHot(tf.tensor1d(Int32Array.from(inputs.y), 'int32'), c.sizes[c.sizes.length - 1]!).toFloat() as tf.Tensor2D;
  // PyTorch's defaults for Adam (tfjs defaults epsilon to 1e-7), so the first steps agree.
  const optimizer = c.optimizer === 'sgd' ? tf.train.sgd(c.lr) : tf.train.adam(c.lr, 0.9, 0.999, 1e-8);
  const activation = c.activation === 'tanh' ? tf.tanh : tf.relu;
  const loss = (): tf.Scalar => {
    let h: tf.Tensor2D = x;
    weights.forEach((w, i) => {
      h = tf.add(tf.matMul(h, w, false, true), biases[i]!);
      if (i < weights.length - 1) h = activation(h);
    });
    return c.task === 'binary' ? tf.losses.sigmoidCrossEntropy<tf.Tensor2D, tf.Scalar>(y, h) : tf.losses.softmaxCrossEntropy<tf.Tensor2D, tf.Scalar>(y, h);
  };
  const step = (): number => {
    const cost = optimizer.minimize(loss, true)!;
    const value = cost.dataSync()[0]!;
    cost.dispose();
    return value;
  };
  const params = [...weights, ...biases];
  let first = new Float32Array(0);
  return {
    async activate() {
      await use(backend);
      if (first.length === 0) first = Float32Array.from([step(), step(), step()]);
    },
    run: () => {
      sink.value += step();
    },
    output: () => first,
    dispose: () => [...params, x, y].forEach((t) => t.dispose()),
  };
}

/** A zoo model's forward pass written with tfjs ops on the same weights. */
function inference(backend: Backend, c: InferenceCase, values: Float32Array): Prepared {
  const x = tf.tensor2d(values, [c.batch, c.features]);
  const held: tf.Tensor[] = [x];
  const steps = c.layers.map((layer): ((h: tf.Tensor2D) => tf.Tensor2D) => {
    switch (layer.kind) {
      case 'standardize': {
        const [mean, std] = [tf.tensor1d(layer.mean), tf.tensor1d(layer.std)];
        held.push(mean, std);
        return (h) => tf.div(tf.sub(h, mean), std);
      }
      case 'linear': {
        const [w, b] = [tf.tensor2d(layer.weight, [layer.out, layer.in]), tf.tensor1d(layer.bias)];
        held.push(w, b);
        return (h) => tf.add(tf.matMul(h, w, false, true), b);
      }
      case 'tanh': return (h) => tf.tanh(h);
      default: return (h) => tf.relu(h);
    }
  });
  return prepared(backend, held, () => steps.reduce((h, step) => step(h), x));
}
