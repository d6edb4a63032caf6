// Matrix products with torch.matmul's semantics: 1-D operands are a row (first) or a column (second) whose
// added axis is dropped from the result; operands of rank 3 and more are stacks of matrices whose leading
// (batch) axes broadcast. Each matrix goes to the packed GEMM as it lies: a transposed view is a packing choice,
// not a copy; a stack whose matrices share one right-hand side is a single GEMM over all their rows. Backward is
// matmul again (dA = dY B^T, dB = A^T dY), summed over broadcast batch axes. int32 operands multiply exactly;
// mixed dtypes are refused, as in PyTorch.
import { defineOp } from '../op';
import { DTypeError, ShapeError } from '../errors';
import { broadcastStrides, contiguousStrides, walk } from '../layout';
import { broadcastShapes, formatShape, sizeOf, type Shape } from '../shape';
import { allocate, backendOf, record, type Tensor } from '../tensor';
import { at, checkTensor, sumTo } from './internal/common';
import { gather } from './internal/copy';
import * as integer from './internal/integer';
import { squeeze, unsqueeze } from './reshape';
import { transpose } from './permute';

export const matmul = defineOp({ name: 'matmul', gradient: 'recorded', kernels: ['gemmPacked', 'gemmSmallM', 'packB'] }, (a: Tensor, b: Tensor): Tensor => {
  checkTensor('matmul', b, 'the other operand');
  backendOf('matmul', [a, b]);
  if (a.dtype !== b.dtype) {
    throw new DTypeError(`matmul: the operands are ${a.dtype} and ${b.dtype}; matmul needs one dtype (as in PyTorch): convert one with .float() or .int()`);
  }
  if (a.rank === 0 || b.rank === 0) throw new ShapeError(`matmul: operands must have at least one axis, got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  const K = a.shape[a.rank - 1]!;
  const K2 = b.shape[b.rank === 1 ? 0 : b.rank - 2]!;
  if (K !== K2) {
    throw new ShapeError(`matmul: shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} are incompatible (inner dimensions ${K} and ${K2} differ)`);
  }
  // A 1-D operand is a matrix with an added axis of size 1, which the result drops.
  if (a.rank === 1) return squeeze(matmul(unsqueeze(a, 0), b), b.rank === 1 ? 0 : -2);
  if (b.rank === 1) return squeeze(matmul(a, unsqueeze(b, 1)), -1);
  const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2));
  if (!batch) throw new ShapeError(`matmul: the batch axes of ${formatShape(a.shape)} and ${formatShape(b.shape)} cannot be broadcast together`);
  const shape = [...batch, a.shape[a.rank - 2]!, b.shape[b.rank - 1]!];
  if (a.dtype === 'int32') return integerProduct(a, b, shape);
  const out = products(a, b, shape);
  // Each operand is saved only for the other's gradient.
  const [aShape, bShape] = [a.shape, b.shape];
  const forA = a.requiresGrad ? b : null;
  const forB = b.requiresGrad ? a : null;
  return record(out, 'matmul', [a, b], (dy) => [
    forA && sumTo(matmul(dy, transpose(forA)), aShape),
    forB && sumTo(matmul(transpose(forB), dy), bShape),
  ], { saves: [forA, forB].filter((t) => t !== null) });
});

/** How a matrix (the last two axes of t) reaches the GEMM: as it lies, or transposed, with its leading dimension. */
interface MatrixLayout {
  transposed: boolean;
  ld: number;
}

function layoutOf(t: Tensor): MatrixLayout | null {
  const [rows, cols] = [t.shape[t.rank - 2]!, t.shape[t.rank - 1]!];
  const [rowStride, colStride] = [t.strides[t.rank - 2]!, t.strides[t.rank - 1]!];
  if ((cols === 1 || colStride === 1) && (rows === 1 || rowStride >= cols)) return { transposed: false, ld: rows === 1 ? cols : rowStride };
  if ((rows === 1 || rowStride === 1) && (cols === 1 || colStride >= rows)) return { transposed: true, ld: cols === 1 ? rows : colStride };
  return null;
}

/** C = A B for every matrix of the stacks, written into a fresh contiguous tensor of `shape`. */
function products(a: Tensor, b: Tensor, shape: Shape): Tensor {
  const backend = a.backend;
  const out = allocate(backend, shape, 'float32');
  const [M, K, N] = [a.shape[a.rank - 2]!, a.shape[a.rank - 1]!, b.shape[b.rank - 1]!];
  // A matrix laid out in neither way (every other element, say) is gathered first.
  const la = layoutOf(a) ?? layoutOf((a = gather(a)))!;
  const lb = layoutOf(b) ?? layoutOf((b = gather(b)))!;
  const batch = shape.slice(0, -2);
  const count = sizeOf(batch);
  if (count === 0 || M === 0 || N === 0) return out;
  const aBatch = broadcastStrides(a.shape.slice(0, -2), a.strides.slice(0, -2), batch);
  const bBatch = broadcastStrides(b.shape.slice(0, -2), b.strides.slice(0, -2), batch);
  // One right-hand side for the whole stack, and left-hand rows evenly spaced: a single GEMM over every row.
  if (bBatch.every((s) => s === 0) && !la.transposed && stacksRows(batch, aBatch, M, la.ld)) {
    backend.gemm(false, lb.transposed, count * M, N, K, 1, at(a, 0), la.ld, at(b, 0), lb.ld, 0, out, N);
    return out;
  }
  // Otherwise strided batches of GEMMs (a B shared along a batch axis is packed once).
  const w = walk(batch, [aBatch, bBatch, contiguousStrides(batch).map((s) => s * M * N)]);
  const [[rowA, rowB, rowC], [colA, colB, colC]] = [w.rowStrides, w.colStrides] as [number[], number[]];
  for (const [oa, ob, oc] of w.offsets as [number, number, number][]) {
    for (let r = 0; r < w.rows; r++) {
      backend.gemmBatched(
        w.cols, la.transposed, lb.transposed, M, N, K, 1, at(a, oa + r * rowA!), la.ld, colA!, at(b, ob + r * rowB!), lb.ld, colB!, 0, at(out, oc + r * rowC!), N, colC!,
      );
    }
  }
  return out;
}

/** Whether the batch axes and the rows of the left-hand stack step through memory as one column of rows would. */
function stacksRows(batch: readonly number[], strides: readonly number[], rows: number, rowStride: number): boolean {
  let step = rows * rowStride;
  for (let k = batch.length - 1; k >= 0; k--) {
    if (batch[k] !== 1 && strides[k] !== step) return false;
    step *= batch[k]!;
  }
  return true;
}

/** The int32 product, matrix by matrix, exactly. */
function integerProduct(a: Tensor, b: Tensor, shape: Shape): Tensor {
  const [M, K, N] = [a.shape[a.rank - 2]!, a.shape[a.rank - 1]!, b.shape[b.rank - 1]!];
  const batch = shape.slice(0, -2);
  const [x, y] = [a, b].map((t) => t.expand([...batch, ...t.shape.slice(-2)]).contiguous()) as [Tensor, Tensor];
  return integer.matmul(x, y, sizeOf(batch), M, K, N, shape);
}
