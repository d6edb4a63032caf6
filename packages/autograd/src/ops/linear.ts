// y = x W^T + b, PyTorch's layout (W is [out, in]), as one op: the GEMM reads W transposed in place and the
// bias is broadcast over rows. Backward: dx = dy W, dW = dy^T x, db = the column sums of dy.
import { ops as codes } from '@backprop/kernels';
import { ShapeError } from '../errors';
import { formatShape } from '../shape';
import { allocate, record, type Tensor } from '../tensor';
import { floatInputs, zeroOf } from './common';

export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  const inputs = bias ? [x, weight, bias] : [x, weight];
  const backend = floatInputs('linear', inputs);
  if (weight.rank !== 2 || x.rank < 1 || x.shape[x.rank - 1] !== weight.shape[1]) {
    throw new ShapeError(`linear: input ${formatShape(x.shape)} does not match weight ${formatShape(weight.shape)} (expected input [..., ${weight.shape[1] ?? '?'}] and weight [out, in])`);
  }
  const [out, inFeatures] = [weight.shape[0]!, weight.shape[1]!];
  if (bias && (bias.rank !== 1 || bias.shape[0] !== out)) {
    throw new ShapeError(`linear: bias ${formatShape(bias.shape)} does not match weight ${formatShape(weight.shape)} (expected [${out}])`);
  }
  const rows = x.size / inFeatures;
  const y = allocate(backend, [...x.shape.slice(0, -1), out], 'float32', true);
  if (bias) {
    // Seed every row with the bias (bias + 0, broadcast), then accumulate the product on top (beta = 1).
    backend.binary(codes.ADD, rows, out, bias, 0, 1, zeroOf(backend), 0, 0, y);
  }
  backend.gemm(false, true, rows, out, inFeatures, 1, x, inFeatures, weight, inFeatures, bias ? 1 : 0, y, out);
  return record(y, 'linear', inputs, (dy) => {
    const dx = x.requiresGrad ? allocate(backend, x.shape, 'float32', true) : null;
    const dw = weight.requiresGrad ? allocate(backend, weight.shape, 'float32', true) : null;
    if (dx) backend.gemm(false, false, rows, inFeatures, out, 1, dy, out, weight, inFeatures, 0, dx, inFeatures);
    if (dw) backend.gemm(true, false, out, inFeatures, rows, 1, dy, out, x, inFeatures, 0, dw, inFeatures);
    let db: Tensor | null = null;
    if (bias?.requiresGrad) {
      db = allocate(backend, bias.shape, 'float32', true);
      backend.reduce(codes.SUM, 1, rows, out, dy, db);
    }
    return bias ? [dx, dw, db] : [dx, dw];
  });
}
