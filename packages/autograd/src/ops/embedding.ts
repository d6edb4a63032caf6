import { defineOp } from '../op';
import { DTypeError, ShapeError } from '../errors';
import { formatShape } from '../shape';
import type { Tensor } from '../tensor';
import { checkTensor, floatInputs } from './internal/common';
import { indexSelect } from './index-select';

/**
 * The rows of weight [numEmbeddings, dim] named by int32 indices of any shape: [...indices.shape, dim]
 * (PyTorch's F.embedding). Backward adds each row's gradient into the row it came from (repeats accumulate).
 */
export const embedding = defineOp({ name: 'embedding', gradient: 'composite', kernels: [] }, (indices: Tensor, weight: Tensor): Tensor => {
  checkTensor('embedding', indices, 'the indices');
  checkTensor('embedding', weight, 'the weight');
  floatInputs('embedding', [weight]);
  if (indices.dtype !== 'int32') throw new DTypeError(`embedding: the indices must be an int32 tensor, got ${indices.dtype} (make them with tensor(ids, { dtype: 'int32' }))`);
  if (weight.rank !== 2) throw new ShapeError(`embedding: the weight must be 2-D [numEmbeddings, embeddingDim], got shape ${formatShape(weight.shape)}`);
  const [count, dim] = weight.shape as [number, number];
  const ids = indices.values();
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (id < 0 || id >= count) throw new RangeError(`embedding: index ${id} (element ${i} of the indices) is out of range for ${count} embeddings (0 <= index < ${count})`);
  }
  return indexSelect(weight, ids).reshape([...indices.shape, dim]);
});
