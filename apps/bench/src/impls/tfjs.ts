// The union package: tfjs-core with every gradient registered (the core bundle alone lacks most).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import type { ConvCase, ConvInputs, ElementwiseCase, ElementwiseInputs, GemmCase, Impl, InferenceCase, Prepared, TrainCase, TrainInputs } from '../cases';
import { convFlops, convOutput, lenetLayers, sink, Unsupported } from '../cases';

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

/**
 * TensorFlow.js 4.22 on its WebAssembly (XNNPACK) or plain-JavaScript CPU backend, single-threaded; tfjs-layers
 * for the training suite.
 */
export async function tfjs(backend: Backend): Promise<Impl> {
  if (backend === 'wasm') {
    const { setThreadsCount } = await import('@tensorflow/tfjs-backend-wasm');
    setThreadsCount(1);
  }
  await use(backend);
  // The Emscripten glue of tfjs-backend-wasm installs process handlers that rethrow any error with its whole
  // minified source attached; the bench reports its own errors.
  if (typeof process !== 'undefined') {
    process.removeAllListeners('uncaughtException');
    process.removeAllListeners('unhandledRejection');
  }
  const limit = backend === 'cpu' ? 512 ** 3 : Infinity; // the CPU backend needs seconds per call beyond this
  return {
    name: backend === 'wasm' ? 'tfjs-wasm' : 'tfjs-cpu',
    gemm({ M, N, K, transA, transB, batch }: GemmCase, a: Float32Array, b: Float32Array): Prepared | undefined {
      if ((batch ?? 1) * M * N * K > limit) return undefined;
      select(backend);
      const lead = batch === undefined ? [] : [batch];
      const ta = tf.tensor(a, [...lead, ...(transA ? [K, M] : [M, K])]);
      const tb = tf.tensor(b, [...lead, ...(transB ? [N, K] : [K, N])]);
      return prepared(backend, [ta, tb], () => tf.matMul(ta, tb, transA, transB));
    },
    conv(c: ConvCase, inputs: ConvInputs): Prepared | undefined {
      if (convFlops(c) > limit) return undefined;
      select(backend);
      return conv(backend, c, inputs);
    },
    inference(c: InferenceCase, x: Float32Array): Prepared | undefined {
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

/** [rows, cols] row-major as [cols, rows]: PyTorch's Linear weight [out, in] as a Keras kernel [in, out]. */
function transposed(values: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c]!;
  return out;
}

/** Dense layers of c.sizes (kernels [in, out], the layout tfjs is fast with), loaded with the shared weights. */
function mlp(c: TrainCase, inputs: TrainInputs): tf.Sequential {
  const model = tf.sequential();
  const last = c.sizes.length - 2;
  c.sizes.slice(1).forEach((units, i) => {
    model.add(tf.layers.dense({ units, ...(i === 0 ? { inputShape: [c.sizes[0]!] } : {}), activation: i < last ? c.activation : 'linear' }));
    model.layers[i]!.setWeights([
      tf.tensor2d(transposed(inputs.weights[i]!, units, c.sizes[i]!), [c.sizes[i]!, units]),
      tf.tensor1d(inputs.biases[i]!),
    ]);
  });
  return model;
}

/**
 * The zoo LeNet as tfjs-layers holds it, channels last (tfjs's CPU and WASM convolutions take NHWC only):
 * kernels [kh, kw, in, out], and the first dense layer's rows in the (h, w, c) order a channels-last Flatten gives.
 */
function lenet(inputs: TrainInputs): tf.Sequential {
  const model = tf.sequential();
  lenetLayers.forEach((l, i) => {
    let kernel: tf.Tensor;
    if (l.kind === 'conv') {
      model.add(tf.layers.conv2d({ filters: l.out, kernelSize: l.k, padding: l.padding > 0 ? 'same' : 'valid', activation: 'relu', ...(i === 0 ? { inputShape: [28, 28, 1] } : {}) }));
      kernel = tf.tidy(() => tf.transpose(tf.tensor4d(inputs.weights[i]!, [l.out, l.in, l.k, l.k]), [2, 3, 1, 0]));
    } else {
      if (i === 2) model.add(tf.layers.flatten());
      model.add(tf.layers.dense({ units: l.out, activation: i < lenetLayers.length - 1 ? 'relu' : 'linear' }));
      const w = tf.tensor2d(inputs.weights[i]!, [l.out, l.in]);
      // PyTorch flattens [16, 5, 5] as (c, h, w); tfjs flattens [5, 5, 16] as (h, w, c).
      kernel = tf.tidy(() => (i === 2 ? tf.transpose(w.reshape([l.out, 16, 5, 5]), [2, 3, 1, 0]).reshape([l.in, l.out]) : tf.transpose(w)));
      w.dispose();
    }
    model.layers[model.layers.length - 1]!.setWeights([kernel, tf.tensor1d(inputs.biases[i]!)]);
    if (l.kind === 'conv') model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  });
  return model;
}

/**
 * The step as TensorFlow.js users write it: a tfjs-layers Sequential, compiled with the optimiser and a loss on
 * logits, stepped by trainOnBatch. A backend that cannot compute the step's gradient throws Unsupported.
 */
function train(backend: Backend, c: TrainCase, inputs: TrainInputs): Prepared {
  const model = c.model === 'lenet' ? lenet(inputs) : mlp(c, inputs);
  // With one channel, NCHW and NHWC images lie alike in memory.
  const x = c.model === 'lenet' ? tf.tensor4d(inputs.x, [c.batch, 28, 28, 1]) : tf.tensor2d(inputs.x, [c.batch, c.sizes[0]!]);
  const y = c.task === 'binary' ? tf.tensor2d(inputs.y, [c.batch, 1]) : tf.oneHot(tf.tensor1d(Int32Array.from(inputs.y), 'int32'), c.sizes[c.sizes.length - 1]!).toFloat();
  // PyTorch's defaults for Adam (tfjs defaults epsilon to 1e-7), so the first steps agree.
  const optimizer = c.optimizer === 'sgd' ? tf.train.sgd(c.lr) : tf.train.adam(c.lr, 0.9, 0.999, 1e-8);
  const loss = c.task === 'binary' ? (t: tf.Tensor, p: tf.Tensor) => tf.losses.sigmoidCrossEntropy(t, p) : (t: tf.Tensor, p: tf.Tensor) => tf.losses.softmaxCrossEntropy(t, p);
  model.compile({ optimizer, loss });
  try {
    // One gradient, synchronously: a backend without a kernel the step needs says so here.
    tf.tidy(() => tf.variableGrads(() => loss(y, model.apply(x) as tf.Tensor) as tf.Scalar));
  } catch (error) {
    model.dispose();
    [x, y].forEach((t) => t.dispose());
    throw new Unsupported((error as Error).message);
  }
  const step = async (): Promise<number> => (await model.trainOnBatch(x, y)) as number;
  let first = new Float32Array(0);
  return {
    async activate() {
      await use(backend);
      if (first.length === 0) first = Float32Array.from([await step(), await step(), await step()]);
    },
    async run() {
      sink.value += await step();
    },
    output: () => first,
    dispose: () => {
      model.dispose();
      [x, y].forEach((t) => t.dispose());
    },
  };
}

/**
 * A zoo model's forward pass written with tfjs ops on the same weights; images channels last (one channel lies
 * alike in NCHW and NHWC), convolution kernels [k, k, in, out], and the dense layer after a Flatten with its
 * columns in the (h, w, c) order a channels-last flatten gives.
 */
function inference(backend: Backend, c: InferenceCase, values: Float32Array): Prepared | undefined {
  if (c.image && c.image[0] !== 1) return undefined;
  const x = c.image ? tf.tensor4d(values, [c.batch, c.image[1], c.image[2], 1]) : tf.tensor2d(values, [c.batch, c.features]);
  const held: tf.Tensor[] = [x];
  let flattened: [number, number, number] | null = null;
  const steps = c.layers.map((layer): ((h: tf.Tensor) => tf.Tensor) => {
    switch (layer.kind) {
      case 'conv': {
        const w = tf.tidy<tf.Tensor4D>(() => tf.transpose(tf.tensor4d(layer.weight, [layer.out, layer.in, layer.kernel, layer.kernel]), [2, 3, 1, 0]));
        const b = tf.tensor1d(layer.bias);
        held.push(w, b);
        const pad = layer.padding === 0 ? 'valid' : 'same'; // the zoo's convolutions: no padding, or (k - 1) / 2
        return (h) => tf.add(tf.conv2d(h as tf.Tensor4D, w, 1, pad), b);
      }
      case 'maxpool': return (h) => tf.maxPool(h as tf.Tensor4D, layer.kernel, layer.kernel, 'valid');
      case 'flatten':
        flattened = layer.shape;
        return (h) => h.reshape([c.batch, -1]);
      case 'standardize': {
        const [mean, std] = [tf.tensor1d(layer.mean), tf.tensor1d(layer.std)];
        held.push(mean, std);
        return (h) => tf.div(tf.sub(h, mean), std);
      }
      case 'linear': {
        // Stored [in, out] as tfjs models hold dense kernels, so the product needs no transpose.
        const from = flattened;
        flattened = null;
        const w = from
          ? tf.tidy<tf.Tensor2D>(() => tf.transpose(tf.tensor2d(layer.weight, [layer.out, layer.in]).reshape([layer.out, ...from]), [2, 3, 1, 0]).reshape([layer.in, layer.out]))
          : tf.tensor2d(transposed(layer.weight, layer.out, layer.in), [layer.in, layer.out]);
        const b = tf.tensor1d(layer.bias);
        held.push(w, b);
        return (h) => tf.add(tf.matMul(h as tf.Tensor2D, w), b);
      }
      case 'tanh': return (h) => tf.tanh(h);
      default: return (h) => tf.relu(h);
    }
  });
  return prepared(backend, held, () => steps.reduce((h: tf.Tensor, step) => step(h), x));
}

/** values laid out as `shape` with its axes permuted to `axes` (a copy; for comparing layouts, never timed). */
function permuted(values: Float32Array, shape: number[], axes: number[]): Float32Array {
  return tf.tidy(() => tf.transpose(tf.tensor(values, shape), axes).dataSync() as Float32Array);
}

/**
 * A convolution product as tfjs users write it, channels last (its CPU and WASM convolutions take NHWC only):
 * tf.conv2d forward, tf.conv2dTranspose for dx. tfjs has no public op for the weight gradient alone.
 */
function conv(backend: Backend, c: ConvCase, { x, w, dy }: ConvInputs): Prepared | undefined {
  const out = convOutput(c);
  const pad = c.padding === 0 ? 'valid' : 2 * c.padding === c.kernel - 1 ? 'same' : undefined;
  if (c.direction === 'dw' || pad === undefined) return undefined;
  const tx = tf.tensor4d(permuted(x, [c.images, c.channels, c.size, c.size], [0, 2, 3, 1]), [c.images, c.size, c.size, c.channels]);
  const tw = tf.tensor4d(permuted(w, [c.outChannels, c.channels, c.kernel, c.kernel], [2, 3, 1, 0]), [c.kernel, c.kernel, c.channels, c.outChannels]);
  const tdy = tf.tensor4d(permuted(dy, [c.images, c.outChannels, out, out], [0, 2, 3, 1]), [c.images, out, out, c.outChannels]);
  const compute = c.direction === 'forward'
    ? () => tf.conv2d(tx, tw, 1, pad)
    : () => tf.conv2dTranspose(tdy, tw, [c.images, c.size, c.size, c.channels], 1, pad);
  try {
    tf.tidy(compute);
  } catch (error) {
    [tx, tw, tdy].forEach((t) => t.dispose());
    throw new Unsupported((error as Error).message);
  }
  const p = prepared(backend, [tx, tw, tdy], compute);
  // Compared in NCHW, as backprop and PyTorch give it.
  const [size, channels] = c.direction === 'forward' ? [out, c.outChannels] : [c.size, c.channels];
  return { ...p, output: () => permuted(p.output(), [c.images, size, size, channels], [0, 3, 1, 2]) };
}
