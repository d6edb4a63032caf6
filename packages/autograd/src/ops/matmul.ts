// Matrix product, NumPy's matmul for 1-D and 2-D operands. Backward runs the transposed products
// directly in the GEMM (dA = dY . B^T, dB = A^T . dY): no transpose is materialised.
// int32 operands multiply exactly (int32 accumulation, as PyTorch's CPU kernel); mixed dtypes are refused, as
// in PyTorch.
import { DTypeError, ShapeError } from '../errors';
import { formatShape } from '../shape';
import { allocate, backendOf, record, type Tensor } from '../tensor';
import { checkTensor, floatInputs } from './common';
import * as integer from './integer';

export function matmul(a: Tensor, b: Tensor): Tensor {
  checkTensor('matmul', b, 'the other operand');
  backendOf('matmul', [a, b]);
  if (a.dtype !== b.dtype) {
    throw new DTypeError(`matmul: the operands are ${a.dtype} and ${b.dtype}; matmul needs one dtype (as in PyTorch): convert one with .float() or .int()`);
  }
  if (a.rank === 0 || b.rank === 0 || a.rank > 2 || b.rank > 2) {
    throw new ShapeError(`matmul: operands must be 1-D or 2-D, got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  }
  // A 1-D a is a row [1, K]; a 1-D b is a column [K, 1]; the added dimension is dropped from the result.
  const [M, K] = a.rank === 2 ? [a.shape[0]!, a.shape[1]!] : [1, a.shape[0]!];
  const [K2, N] = b.rank === 2 ? [b.shape[0]!, b.shape[1]!] : [b.shape[0]!, 1];
  if (K !== K2) {
    throw new ShapeError(`matmul: shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} are incompatible (inner dimensions ${K} and ${K2} differ)`);
  }
  const shape = [...(a.rank === 2 ? [M] : []), ...(b.rank === 2 ? [N] : [])];
  if (a.dtype === 'int32') return integer.matmul(a, b, M, K, N, shape);
  const backend = floatInputs('matmul', [a, b]);
  const out = allocate(backend, shape, 'float32');
  backend.gemm(false, false, M, N, K, 1, a, K, b, N, 0, out, N);
  // Each operand is saved only for the other's gradient.
  const [aShape, bShape] = [a.shape, b.shape];
  const forA = a.requiresGrad ? b : null;
  const forB = b.requiresGrad ? a : null;
  return record(out, 'matmul', [a, b], (dy) => {
    let da: Tensor | null = null;
    let db: Tensor | null = null;
    if (forA) {
      da = allocate(backend, aShape, 'float32');
      backend.gemm(false, true, M, K, N, 1, dy, N, forA, N, 0, da, K);
    }
    if (forB) {
      db = allocate(backend, bShape, 'float32');
      backend.gemm(true, false, K, N, M, 1, forB, K, dy, N, 0, db, N);
    }
    return [da, db];
  }, { saves: [forA, forB].filter((t) => t !== null) });
}
