import { defineOp } from '../op';
import { aroundAxis, normalizeAxis } from '../shape';
import { allocate, record, type Tensor } from '../tensor';
import { floatInputs } from './internal/common';
import { contiguous } from './contiguous';

function softmaxLike(op: 'softmax' | 'logSoftmax', input: Tensor, axis: number): Tensor {
  const backend = floatInputs(op, [input]);
  const x = contiguous(input);
  const [outer, len, inner] = aroundAxis(x.shape, normalizeAxis(axis, x.rank, op));
  const log = op === 'logSoftmax';
  const y = allocate(backend, x.shape, 'float32');
  backend.softmax(outer, len, inner, log, x, y);
  const shape = x.shape;
  return record(y, op, [x], (dy) => {
    const dx = allocate(backend, shape, 'float32');
    backend.softmaxBackward(outer, len, inner, log, y, dy, dx);
    return [dx];
  }, { saves: [y], params: { axis } });
}

/** exp(x) / sum(exp(x)) along axis, computed stably (the maximum is subtracted first). */
export const softmax = defineOp({ name: 'softmax', gradient: 'recorded', kernels: ['softmax', 'softmaxBackward'] }, (x: Tensor, axis: number): Tensor => softmaxLike('softmax', x, axis));

/** x - log(sum(exp(x))) along axis, stable. */
export const logSoftmax = defineOp({ name: 'logSoftmax', gradient: 'recorded', kernels: ['softmax', 'softmaxBackward'] }, (x: Tensor, axis: number): Tensor => softmaxLike('logSoftmax', x, axis));
