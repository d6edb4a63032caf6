// y = x W^T + b, PyTorch's layout (W is [out, in]), as one op: the GEMM reads W transposed in place and the
// bias is broadcast over rows. Backward: dx = dy W, dW = dy^T x, db = the column sums of dy.
// An activation whose gradient reads only its output (relu, tanh, sigmoid) can run inside the op, in place on
// y: the same values as linear then the activation, without a second op's tensor and tape entry (per-op costs
// that show in single-sample inference). Its backward turns dy into the product's gradient first.
import { defineOp } from '../op';
import { describeValue, ShapeError } from '../errors';
import { checkOptions } from '../options';
import { formatShape } from '../shape';
import { allocate, record, recording, unrecorded, type Tensor } from '../tensor';
import { checkTensor, floatInputs, zeroOf } from './internal/common';
import { contiguous } from './contiguous';

/** The activations `linear` can apply in its own op. */
export type LinearActivation = 'relu' | 'tanh' | 'sigmoid';
// Applied in place over the product: each one's gradient reads only its output (its reference says so).
const ACTIVATIONS: readonly LinearActivation[] = ['relu', 'tanh', 'sigmoid'];

export interface LinearOptions {
  /** Applied to x W^T + b inside the op (the same values as the separate op). */
  activation?: LinearActivation;
}

export const linear = defineOp({ name: 'linear', gradient: 'recorded', kernels: ['gemmPacked', 'gemmSmallM', 'packB', ...ACTIVATIONS.flatMap((a) => [a, `${a}Backward` as const])] }, (input: Tensor, w: Tensor, b?: Tensor | null, options?: LinearOptions): Tensor => {
  let activation: LinearActivation | undefined;
  if (options !== undefined) {
    checkOptions('linear', options, { activation: 'relu' });
    activation = options.activation;
    if (activation !== undefined && !ACTIVATIONS.includes(activation)) {
      throw new TypeError(`linear: activation must be one of ${ACTIVATIONS.map((a) => `'${a}'`).join(', ')}, got ${describeValue(activation)}`);
    }
  }
  checkTensor('linear', w, 'the weight');
  const hasBias = b !== undefined && b !== null;
  if (hasBias) checkTensor('linear', b, 'the bias');
  const backend = floatInputs('linear', hasBias ? [input, w, b] : [input, w]);
  // The layer's own call is the hot path of small models: few allocations, no backward built in noGrad.
  const x = contiguous(input);
  const weight = contiguous(w);
  const bias = hasBias ? contiguous(b) : null;
  if (weight.rank !== 2 || x.rank < 1 || x.shape[x.rank - 1] !== weight.shape[1]) {
    throw new ShapeError(`linear: input ${formatShape(x.shape)} does not match weight ${formatShape(weight.shape)} (expected input [..., ${weight.shape[1] ?? '?'}] and weight [out, in])`);
  }
  const out = weight.shape[0]!;
  const inFeatures = weight.shape[1]!;
  if (bias && (bias.rank !== 1 || bias.shape[0] !== out)) {
    throw new ShapeError(`linear: bias ${formatShape(bias.shape)} does not match weight ${formatShape(weight.shape)} (expected [${out}])`);
  }
  const xShape = x.shape;
  let rows = 1; // not x.size / inFeatures, which is NaN for zero features
  for (let i = 0; i < xShape.length - 1; i++) rows *= xShape[i]!;
  const yShape = xShape.length === 2 ? [xShape[0]!, out] : [...xShape.slice(0, -1), out];
  const y = allocate(backend, yShape, 'float32');
  if (bias) {
    // Seed every row with the bias (bias + 0, broadcast), then accumulate the product on top (beta = 1).
    backend.binary('add', rows, out, bias, 0, 1, zeroOf(backend), 0, 0, y);
  }
  backend.gemm(false, true, rows, out, inFeatures, 1, x, inFeatures, weight, inFeatures, bias ? 1 : 0, y, out);
  if (activation) backend.unary(activation, y.size, y, y, 0);
  const inputs = bias ? [x, weight, bias] : [x, weight];
  if (!recording(inputs)) return unrecorded(y, 'linear');
  // The input is saved only for the weight's gradient, the weight only for the input's.
  const forX = x.requiresGrad ? weight : null;
  const forW = weight.requiresGrad ? x : null;
  const [wShape, biasGrad] = [weight.shape, bias?.requiresGrad === true];
  return record(y, 'linear', inputs, (dOutput) => {
    let dy = dOutput;
    if (activation) {
      dy = allocate(backend, yShape, 'float32');
      backend.unaryBackward(activation, dy.size, null, y, dOutput, dy, 0);
    }
    let dx: Tensor | null = null;
    let dw: Tensor | null = null;
    let db: Tensor | null = null;
    if (forX) {
      dx = allocate(backend, xShape, 'float32');
      backend.gemm(false, false, rows, inFeatures, out, 1, dy, out, forX, inFeatures, 0, dx, inFeatures);
    }
    if (forW) {
      dw = allocate(backend, wShape, 'float32');
      backend.gemm(true, false, out, inFeatures, rows, 1, dy, out, forW, inFeatures, 0, dw, inFeatures);
    }
    if (biasGrad) {
      db = allocate(backend, [out], 'float32');
      backend.reduce('sum', 1, rows, out, dy, db);
    }
    if (dy !== dOutput) dy.dispose();
    return bias ? [dx, dw, db] : [dx, dw];
  }, { saves: [forX, forW, activation ? y : null].filter((t) => t !== null), ...(activation ? { params: { activation } } : {}) });
});
