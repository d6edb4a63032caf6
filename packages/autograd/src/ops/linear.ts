// y = x W^T + b, PyTorch's layout (W is [out, in]), as one op: the GEMM reads W transposed in place and the
// bias is broadcast over rows. Backward: dx = dy W, dW = dy^T x, db = the column sums of dy.
import { defineOp } from '../op';
import { ShapeError } from '../errors';
import { formatShape } from '../shape';
import { allocate, record, recording, unrecorded, type Tensor } from '../tensor';
import { checkTensor, floatInputs, zeroOf } from './internal/common';
import { contiguous } from './contiguous';

export const linear = defineOp({ name: 'linear', gradient: 'recorded', kernels: ['gemmPacked', 'gemmSmallM', 'packB'] }, (input: Tensor, w: Tensor, b?: Tensor | null): Tensor => {
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
  const inputs = bias ? [x, weight, bias] : [x, weight];
  if (!recording(inputs)) return unrecorded(y, 'linear');
  // The input is saved only for the weight's gradient, the weight only for the input's.
  const forX = x.requiresGrad ? weight : null;
  const forW = weight.requiresGrad ? x : null;
  const [wShape, biasGrad] = [weight.shape, bias?.requiresGrad === true];
  return record(y, 'linear', inputs, (dy) => {
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
    return bias ? [dx, dw, db] : [dx, dw];
  }, { saves: [forX, forW].filter((t) => t !== null) });
});
