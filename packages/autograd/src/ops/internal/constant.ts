import { allocate, type Tensor } from '../../tensor';

/** A 0-d float32 constant on t's backend. */
export function constantLike(t: Tensor, value: number): Tensor {
  const c = allocate(t.backend, [], 'float32');
  t.backend.fill(c, 1, value);
  return c;
}

/** A float32 constant of `shape` holding `values`, on t's backend. */
export function valuesLike(t: Tensor, values: readonly number[], shape: readonly number[]): Tensor {
  const c = allocate(t.backend, shape, 'float32');
  t.backend.write(c, values);
  return c;
}
