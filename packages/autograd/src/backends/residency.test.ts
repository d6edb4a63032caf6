// The residency policy on a backend of its own (its own kernel memory), driven as ops drive it: use() as an
// op starts, then its allocations, then the addresses of its kernel call.
import { createKernels } from '@backprop/kernels';
import { describe, expect, it } from 'vitest';
import type { View } from '../backend';
import { FLOOR_BYTES } from './residency';
import { WasmBackend } from './wasm';

const QUARTER = FLOOR_BYTES / 4 / 4; // elements in a quarter of the floor budget

describe('residency', () => {
  it("an op's input and its earlier allocations stay in kernel memory through its later allocations", () => {
    const backend = new WasmBackend(createKernels());
    const input: View = { storage: backend.allocate(3 * QUARTER, 'float32'), offset: 0 };
    backend.write(input, [1, 2, 3]);
    // An op that allocates three blocks (an output, indices, scratch) before its kernel call: each allocation
    // is over budget, and the clock hand passes over everything resident, the op's input included.
    backend.use([input]);
    const made = [1, 2, 3].map(() => backend.allocate(3 * QUARTER, 'float32'));
    expect(backend.stats().evictions).toBe(0);
    // The next op: now the first op's data is fair game, and the unused blocks are spilled first.
    backend.use([{ storage: made[2]!, offset: 0 }]);
    backend.allocate(3 * QUARTER, 'float32');
    expect(backend.stats().evictions).toBeGreaterThan(0);
    expect(backend.stats().restores).toBe(0);
    expect(Array.from(backend.read(input, 3))).toEqual([1, 2, 3]);
  });

  it('data spilled to make room is copied back in intact when an op needs it', () => {
    const backend = new WasmBackend(createKernels());
    const first: View = { storage: backend.allocate(3 * QUARTER, 'float32'), offset: 0 };
    backend.write(first, [4, 5, 6]);
    for (let i = 0; i < 4; i++) {
      backend.use([]);
      backend.allocate(3 * QUARTER, 'float32');
    }
    expect(backend.stats().evictions).toBeGreaterThan(0);
    backend.use([first]);
    const out: View = { storage: backend.allocate(3, 'float32'), offset: 0 };
    backend.copy(first, out, 3);
    expect(backend.stats().restores).toBe(1);
    expect(Array.from(backend.read(out, 3))).toEqual([4, 5, 6]);
  });

  it('a small block needed on every pass stops moving out and back after a few passes', () => {
    // Each pass makes three inputs from arrays and an op's output from each (a quarter of the budget each), then
    // needs four floats kept from the start: the clock hand spilled them on every other pass, and each copy back
    // grows the budget by at least 16 KiB. (Grown by the block's own 64 bytes, the budget took thousands of passes
    // to hold them: 50 copies back in 100 passes.)
    const backend = new WasmBackend(createKernels());
    const kept: View = { storage: backend.allocate(4, 'float32'), offset: 0 };
    backend.write(kept, [1, 2, 3, 4]);
    const pass = (): void => {
      for (let i = 0; i < 3; i++) {
        // An input made from an array, and an op's output from it.
        backend.use([]);
        const input: View = { storage: backend.allocate(QUARTER, 'float32'), offset: 0 };
        backend.write(input, [i]);
        backend.use([input]);
        backend.allocate(QUARTER, 'float32');
      }
      backend.use([kept]);
      backend.copy(kept, { storage: backend.allocate(4, 'float32'), offset: 0 }, 4);
    };
    for (let i = 0; i < 20; i++) pass();
    const { evictions, restores } = backend.stats();
    for (let i = 0; i < 100; i++) pass();
    expect(backend.stats().evictions - evictions, 'the passes spill what they made').toBeGreaterThan(100);
    expect(backend.stats().restores - restores, 'copies back in 100 passes after 20').toBe(0);
    expect(Array.from(backend.read(kept, 4))).toEqual([1, 2, 3, 4]);
  });
});
