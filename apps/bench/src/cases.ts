import type { Runner } from './measure';

export type ImplName = 'backprop' | 'backprop-relaxed' | `backprop-t${number}` | 'tfjs-wasm' | 'tfjs-cpu' | 'ort-wasm' | `ort-wasm-t${number}` | 'jax-js' | 'js' | 'pytorch';

/**
 * C[M x N] = op(A) op(B); A is stored K x M when transA, B is stored N x K when transB. With `batch`, `batch`
 * independent products of stacked matrices (A [batch, M, K], B [batch, K, N], no transposes): a batched matmul.
 */
export interface GemmCase {
  name: string;
  M: number;
  N: number;
  K: number;
  transA: boolean;
  transB: boolean;
  batch?: number;
}

/**
 * One product of a convolution layer (stride 1, square images and kernels), NCHW: the forward pass
 * y = conv2d(x, w), the input gradient dx or the weight gradient dw of sum(y * dy).
 */
export interface ConvCase {
  name: string;
  images: number;
  channels: number;
  /** Input height and width. */
  size: number;
  outChannels: number;
  kernel: number;
  padding: number;
  direction: 'forward' | 'dx' | 'dw';
}

export interface ConvInputs {
  /** [images, channels, size, size] */
  x: Float32Array;
  /** [outChannels, channels, kernel, kernel] */
  w: Float32Array;
  /** [images, outChannels, out, out] */
  dy: Float32Array;
}

/** The output size of a convolution case (stride 1). */
export const convOutput = (c: ConvCase): number => c.size + 2 * c.padding - c.kernel + 1;

/** 2 x multiply-adds of one convolution product (forward, dx and dw do the same number). */
export const convFlops = (c: ConvCase): number => 2 * c.images * convOutput(c) ** 2 * c.outChannels * c.channels * c.kernel ** 2;

export const elementwiseOps = ['add', 'mul', 'relu', 'sigmoid', 'tanh', 'exp'] as const;
export type ElementwiseOp = (typeof elementwiseOps)[number];

/** forward: y = op(x[, other]); backward: dx = dy * op'(x) (for mul: dx = dy * other). */
export interface ElementwiseCase {
  name: string;
  op: ElementwiseOp;
  direction: 'forward' | 'backward';
  n: number;
  /** Bytes read and written by one call, for GB/s. */
  bytes: number;
}

export interface ElementwiseInputs {
  x: Float32Array;
  other: Float32Array;
  dy: Float32Array;
}

/**
 * The zoo LeNet (PyTorch's layouts): Conv2d(1, 6, 5, padding 2), ReLU, MaxPool2d(2), Conv2d(6, 16, 5), ReLU,
 * MaxPool2d(2), Flatten, Linear(400, 120), ReLU, Linear(120, 84), ReLU, Linear(84, 10); inputs [n, 1, 28, 28].
 */
export const lenetLayers = [
  { kind: 'conv', out: 6, in: 1, k: 5, padding: 2 },
  { kind: 'conv', out: 16, in: 6, k: 5, padding: 0 },
  { kind: 'linear', out: 120, in: 400 },
  { kind: 'linear', out: 84, in: 120 },
  { kind: 'linear', out: 10, in: 84 },
] as const;

/** One training step (forward, loss, backward, optimiser) of an MLP or the zoo LeNet on a fixed batch. */
export interface TrainCase {
  name: string;
  /** 'mlp': Linear layers of `sizes` with `activation`; 'lenet': lenetLayers (sizes [784, 10]). */
  model: 'mlp' | 'lenet';
  /** Layer widths, input first: [2, 4, 1] is a 2-4-1 network. */
  sizes: number[];
  activation: 'tanh' | 'relu';
  batch: number;
  optimizer: 'sgd' | 'adam';
  lr: number;
  /** binary: one logit, BCE with logits; multiclass: cross-entropy over the last layer's logits. */
  task: 'binary' | 'multiclass';
}

/** The shared starting point of a training case: weights in PyTorch layout ([out, in] or [out, in, kh, kw]), the batch. */
export interface TrainInputs {
  weights: Float32Array[];
  biases: Float32Array[];
  x: Float32Array;
  /** Targets: 0/1 per sample for binary cases, class ids for multiclass ones. */
  y: Float32Array;
}

/** One layer of a zoo model, as plain arrays, for peers that cannot read safetensors. */
export type LayerSpec =
  | { kind: 'standardize'; mean: Float32Array; std: Float32Array }
  | { kind: 'linear'; weight: Float32Array; bias: Float32Array; out: number; in: number }
  | { kind: 'tanh' | 'relu' }
  /** weight [out, in, kernel, kernel] (PyTorch's layout), stride 1, `padding` on every side. */
  | { kind: 'conv'; weight: Float32Array; bias: Float32Array; out: number; in: number; kernel: number; padding: number }
  /** Max pooling over kernel x kernel windows at stride kernel. */
  | { kind: 'maxpool'; kernel: number }
  /** [channels, height, width] maps flattened channels first (PyTorch's order) into rows. */
  | { kind: 'flatten'; shape: [number, number, number] };

/** A forward pass of a shipped zoo model on `batch` samples: the logits are the output. */
export interface InferenceCase {
  name: string;
  model: string;
  batch: number;
  features: number;
  /** For a model of images: one sample's [channels, height, width] (the `features` values of a row). */
  image?: [number, number, number];
  layers: LayerSpec[];
  /** The model as an ONNX file (@backprop/nn's exportOnnx), for peers that run ONNX. */
  onnx: Uint8Array;
}

/** A case prepared by one implementation: run() is timed, output() is compared with backprop's. */
export interface Prepared extends Runner {
  output(): Float32Array;
  dispose(): void;
}

export interface Impl {
  name: ImplName;
  /** Native code rather than WebAssembly or JavaScript (labelled so in the tables). */
  native?: boolean;
  gemm?(c: GemmCase, a: Float32Array, b: Float32Array): Prepared | undefined;
  /** A convolution's forward product or one of its gradients; output(): y, dx or dw (NCHW, PyTorch's layouts). */
  conv?(c: ConvCase, inputs: ConvInputs): Prepared | undefined;
  elementwise?(c: ElementwiseCase, inputs: ElementwiseInputs): Prepared | undefined;
  /**
   * output(): the losses of the first three steps from the shared start. They check forward, backward and the
   * optimiser together, and unlike parameters after an Adam step (which moves every weight by about
   * lr sign(g), so rounding noise in a near-zero gradient flips it) they are well conditioned.
   */
  train?(c: TrainCase, inputs: TrainInputs): Prepared | undefined;
  inference?(c: InferenceCase, x: Float32Array): Prepared | undefined;
}

/** Thrown by an implementation's prepare when it cannot run a case at all (the message is its own error): reported, not timed. */
export class Unsupported extends Error {
  override name = 'Unsupported';
}

/** Keeps outputs alive so no engine can skip the work that produced them. */
export const sink = { value: 0 };
