import { allocate, type Tensor } from '../../tensor';

/** A 0-d float32 constant on t's backend. */
export function constantLike(t: Tensor, value: number): Tensor {
  const c = allocate(t.backend, [], 'float32');
  t.backend.fill(c, 1, value);
  return c;
}
