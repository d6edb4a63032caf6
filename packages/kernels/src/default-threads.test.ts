import { availableParallelism } from 'node:os';
import { afterAll, expect, it } from 'vitest';
import { kernels, numThreads, ready, setNumThreads } from './index';

afterAll(() => setNumThreads(1));

it('a process that asks for nothing runs the heavy kernels on every core (at most 8) once ready() resolves', async () => {
  expect(process.env.BACKPROP_NUM_THREADS).toBeUndefined();
  await ready();
  expect(numThreads()).toBe(Math.min(8, availableParallelism()));
  expect(kernels.heap.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
});
