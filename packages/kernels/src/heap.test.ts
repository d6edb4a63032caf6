import { describe, expect, it } from 'vitest';
import { KernelOutOfMemoryError, KernelUnavailableError } from './errors';
import { Heap, sizeClass } from './heap';
import { createKernels } from './index';

function freshHeap(initialPages = 1, maximum = 65536): Heap {
  return new Heap(new WebAssembly.Memory({ initial: initialPages, maximum }), 1024);
}

describe('Heap', () => {
  it('rounds sizes to classes: 64-byte minimum, powers of two to 1 MiB, then whole pages', () => {
    expect([0, 1, 64, 65, 1000, 1 << 20, (1 << 20) + 1].map(sizeClass)).toEqual([64, 64, 64, 128, 1024, 1 << 20, (1 << 20) + 65536]);
  });

  it('aligns every block to 64 bytes and reuses freed blocks of the same class', () => {
    const heap = freshHeap();
    const a = heap.alloc(100);
    const b = heap.alloc(100);
    expect(a % 64).toBe(0);
    expect(b % 64).toBe(0);
    expect(b - a).toBe(128);
    heap.free(a);
    expect(heap.alloc(120)).toBe(a);
    expect(heap.stats()).toMatchObject({ liveBytes: 256, liveAllocations: 2 });
  });

  it('keeps a training-loop-like pattern flat: alloc/free cycles do not grow the heap', () => {
    const heap = freshHeap();
    const cycle = (): void => {
      const blocks = [4096, 100, 4096, 33_000, 7].map((n) => heap.alloc(n));
      for (const p of blocks) heap.free(p);
    };
    cycle();
    const size = heap.stats().wasmBytes;
    const high = heap.stats().highWaterBytes;
    for (let i = 0; i < 1000; i++) cycle();
    expect(heap.stats()).toMatchObject({ wasmBytes: size, highWaterBytes: high, liveBytes: 0, liveAllocations: 0 });
  });

  it('throws on a double free or a foreign pointer, and on a bad byte count', () => {
    const heap = freshHeap();
    const p = heap.alloc(10);
    heap.free(p);
    expect(() => heap.free(p)).toThrow(/not a live allocation/);
    expect(() => heap.free(12345)).toThrow(/not a live allocation/);
    expect(() => heap.alloc(-1)).toThrow(/non-negative integer/);
    expect(() => heap.alloc(1.5)).toThrow(/non-negative integer/);
  });

  it('rebuilds its views after memory.grow, so data written before growth reads back after', () => {
    const heap = freshHeap(1);
    const p = heap.alloc(16);
    const before = heap.f32();
    heap.floats(p, 4).set([1, 2, 3, 4]);
    heap.alloc(1 << 22); // forces growth, which detaches `before`
    expect(before.byteLength).toBe(0);
    expect(Array.from(heap.floats(p, 4))).toEqual([1, 2, 3, 4]);
    expect(heap.stats().wasmBytes).toBeGreaterThanOrEqual(1 << 22);
  });

  it('throws a typed out-of-memory error past the memory maximum, leaving live data intact', () => {
    const heap = freshHeap(1, 4);
    const p = heap.alloc(8);
    heap.floats(p, 2).set([42, 43]);
    expect(() => heap.alloc(1 << 20)).toThrow(KernelOutOfMemoryError);
    expect(() => heap.alloc(1 << 20)).toThrow(/cannot allocate 1048576 bytes/);
    expect(Array.from(heap.floats(p, 2))).toEqual([42, 43]);
    expect(heap.stats().liveAllocations).toBe(1);
    expect(heap.alloc(1000) % 64).toBe(0); // still usable
  });

  it('gives each createKernels instance its own memory', () => {
    const a = createKernels('simd');
    const b = createKernels('simd');
    expect(a.heap.memory).not.toBe(b.heap.memory);
    expect(a.level).toBe('simd');
  });
});

describe('loader', () => {
  it('names the missing requirement when the runtime has no WebAssembly SIMD', async () => {
    const { detectSimdLevel } = await import('./loader');
    expect(() => detectSimdLevel(() => false)).toThrow(KernelUnavailableError);
    expect(() => detectSimdLevel(() => false)).toThrow(/needs WebAssembly SIMD \(fixed-width SIMD128\)/);
    let calls = 0;
    expect(detectSimdLevel(() => ++calls === 2)).toBe('simd'); // relaxed refused, SIMD128 accepted
  });

  it('picks relaxed SIMD exactly when the runtime validates it', async () => {
    const { detectSimdLevel } = await import('./loader');
    expect(detectSimdLevel()).toBe(process.env.BACKPROP_EXPECT_SIMD);
    expect(detectSimdLevel(() => true)).toBe('relaxed-simd');
  });
});
