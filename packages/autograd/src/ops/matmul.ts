// Matrix product, NumPy's matmul for 1-D and 2-D operands. Backward runs the transposed products
// directly in the GEMM (dA = dY . B^T, dB = A^T . dY): no transpose is materialised.
import { ShapeError } from '../errors';
import { formatShape } from '../shape';
import { allocate, record, type Tensor } from '../tensor';
import { floatInputs } from './common';

export function matmul(a: Tensor, b: Tensor): Tensor {
  const backend = floatInputs('matmul', [a, b]);
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
  const out = allocate(backend, shape, 'float32', true);
  if (K === 0) backend.fill(out, out.size, 0);
  else backend.gemm(false, false, M, N, K, 1, a, K, b, N, 0, out, N);
  return record(out, 'matmul', [a, b], (dy) => {
    const da = a.requiresGrad ? allocate(backend, a.shape, 'float32', true) : null;
    const db = b.requiresGrad ? allocate(backend, b.shape, 'float32', true) : null;
    if (da) backend.gemm(false, true, M, K, N, 1, dy, N, b, N, 0, da, K);
    if (db) backend.gemm(true, false, K, N, M, 1, a, K, dy, N, 0, db, N);
    return [da, db];
  });
}
