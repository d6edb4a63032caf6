import { afterAll, describe, expect, it, vi } from 'vitest';
import { kernels, numThreads, setNumThreads, unaryKernels, type UnaryOpName } from './index';
import { availableParallelism } from 'node:os';
import { DEFAULT_MAX_THREADS, defaultThreads } from './default';
import { instantiateSync, withSharedMemory } from './loader';
import { download, firstDifference, randomArray, seeded, upload, worstError } from './testing';
import * as reference from './reference/index';
import { WorkerPool } from './threads';
import { updates } from './updates';

const k = kernels;
afterAll(() => setNumThreads(1));

/** C for one product on the current threads (C starts from the same random values each time). */
function product(run: (pa: number, pb: number, pc: number) => void, sizes: { a: number; b: number; c: number }, seed: number): Float32Array {
  const random = seeded(seed);
  const [a, b, c] = [randomArray(sizes.a, random), randomArray(sizes.b, random), randomArray(sizes.c, random)];
  const pointers = [upload(k, a), upload(k, b), upload(k, c)] as const;
  run(...pointers);
  const got = download(k, pointers[2], sizes.c);
  for (const p of pointers) k.heap.free(p);
  return got;
}

/** The same product on 1 thread and on 2: they must be bitwise equal. */
async function onOneAndTwo(run: (pa: number, pb: number, pc: number) => void, sizes: { a: number; b: number; c: number }, seed: number): Promise<[Float32Array, Float32Array]> {
  await setNumThreads(1);
  const one = product(run, sizes, seed);
  await setNumThreads(2);
  const two = product(run, sizes, seed);
  return [one, two];
}

describe('threads: the kernels split work over worker threads on shared memory', () => {
  it('setNumThreads starts and stops the workers; numThreads says how many run', async () => {
    await setNumThreads(2);
    expect(numThreads()).toBe(2);
    expect(k.heap.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    await setNumThreads(1);
    expect(numThreads()).toBe(1);
    await setNumThreads(3);
    expect(numThreads()).toBe(3);
  });

  it('threadLimit caps the threads a call uses while the pool keeps running', async () => {
    await setNumThreads(2);
    k.threadLimit = 1;
    try {
      expect(numThreads()).toBe(1);
    } finally {
      k.threadLimit = Infinity;
    }
    expect(numThreads()).toBe(2);
  });

  it('a kernel that fails on a worker fails the call on this thread, and the pool still works after', async () => {
    await setNumThreads(2);
    const [M, N, K] = [256, 256, 64];
    const a = upload(k, new Float32Array(M * K).fill(1));
    const b = upload(k, new Float32Array(K * N).fill(1));
    // Split by columns: this thread's share, the first half of every row of C, ends exactly at the end of memory;
    // the worker's half of the last row is past it.
    const c = k.heap.memory.buffer.byteLength - ((M - 1) * N + N / 2) * 4;
    expect(() => k.gemm(false, false, M, N, K, 1, a, K, b, N, 0, c, N)).toThrow('backprop kernel gemmPacked failed on a worker thread');
    const good = k.heap.alloc(M * N * 4);
    k.gemm(false, false, M, N, K, 1, a, K, b, N, 0, good, N);
    expect(download(k, good, M * N).every((v) => v === K)).toBe(true);
    for (const p of [a, b, good]) k.heap.free(p);
  });

  it('a worker woken late (the caller paused between posting a call and notifying it) does not run that call again', async () => {
    const { module, memory } = k.load();
    const pool = await WorkerPool.start(1, module, memory);
    try {
      const x = upload(k, Float32Array.of(1, 2, 3, 4));
      const one = upload(k, new Float32Array(4).fill(1));
      const addOneOnWorker = { name: 'add', args: [1, 4, x, 4, 1, one, 4, 1, x] }; // x += 1, in place
      pool.run([{ name: 'add', args: [] }, addOneOnWorker], () => undefined);
      expect([...download(k, x, 4)]).toEqual([2, 3, 4, 5]);
      // The notify of a caller descheduled between its store and its notify reaches a worker that has already
      // done the call and waits again; it must go back to waiting, not redo the call.
      const requests = (pool as unknown as { flags: Int32Array }).flags;
      for (let i = 0; i < 5; i++) {
        Atomics.notify(requests, 0);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect([...download(k, x, 4)]).toEqual([2, 3, 4, 5]);
      pool.run([{ name: 'add', args: [] }, addOneOnWorker], () => undefined);
      expect([...download(k, x, 4)]).toEqual([3, 4, 5, 6]);
      for (const p of [x, one]) k.heap.free(p);
    } finally {
      pool.terminate();
    }
  });

  it('refuses a count that is not a positive integer, by name', async () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) await expect(setNumThreads(bad)).rejects.toThrow(`setNumThreads: n must be a positive integer, got ${bad}`);
    await expect(setNumThreads('2' as never)).rejects.toThrow('setNumThreads: n must be a positive integer, got string');
  });

  for (const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
    for (const [M, N, K] of [[257, 129, 129], [128, 256, 784], [17, 1025, 257], [9, 3, 160_000]] as const) {
      it(`gemm ${M}x${N}x${K} transA=${transA} transB=${transB}: bitwise the same on 1 and 2 threads, and right`, async () => {
        const lda = transA ? M : K;
        const ldb = transB ? K : N;
        const sizes = { a: M * K, b: K * N, c: M * N };
        const run = (pa: number, pb: number, pc: number): void => k.gemm(transA, transB, M, N, K, 0.5, pa, lda, pb, ldb, 0.25, pc, N);
        const [one, two] = await onOneAndTwo(run, sizes, M + N + K);
        expect(M * N * K).toBeGreaterThanOrEqual(1 << 22); // large enough to split
        expect(two).toEqual(one);
        const random = seeded(M + N + K);
        const [a, b, c] = [randomArray(sizes.a, random), randomArray(sizes.b, random), randomArray(sizes.c, random)];
        reference.gemm(transA, transB, M, N, K, 0.5, a, lda, b, ldb, 0.25, c, N);
        expect(worstError(two, c, 1e-6 * Math.sqrt(K + 1) * 4, 1e-5)).toBeLessThanOrEqual(1);
      });
    }
  }

  // Three products: threads take products; one product of 12 panels: split by columns; of 3 panels: by rows.
  for (const [count, N] of [[3, 96], [1, 96], [1, 24]] as const) {
    it(`gemmBatched of ${count} x 200x${N}x256 with a shared B: bitwise the same on 1 and 2 threads, and right`, async () => {
      const [M, K] = [200, 256];
      const run = (pa: number, pb: number, pc: number): void => k.gemmBatched(count, false, true, M, N, K, 1, pa, K, M * K, pb, K, 0, 0, pc, N, M * N);
      const sizes = { a: count * M * K, b: N * K, c: count * M * N };
      const [one, two] = await onOneAndTwo(run, sizes, 7);
      expect(two).toEqual(one);
      const random = seeded(7);
      const [a, b, c] = [randomArray(sizes.a, random), randomArray(sizes.b, random), randomArray(sizes.c, random)];
      for (let i = 0; i < count; i++) reference.gemm(false, true, M, N, K, 1, a.subarray(i * M * K), K, b, K, 0, c.subarray(i * M * N), N);
      expect(worstError(two, c, 1e-6 * Math.sqrt(K + 1) * 4, 1e-5)).toBeLessThanOrEqual(1);
    });
  }

  it('gemmBatched with a B per product: threads take ranges of products, bitwise the same as 1 thread, and right', async () => {
    // Small products (each below a thread's share, so never split on its own, by rows or by columns), as a convolution's dx by columns makes them.
    for (const [count, M, N, K, transA] of [[64, 150, 100, 16, true], [7, 33, 17, 9, false]] as const) {
      const [lda, strideA, strideB, strideC] = [transA ? M : K, M * K + 3, K * N + 1, M * N + 2];
      const run = (pa: number, pb: number, pc: number): void => k.gemmBatched(count, transA, false, M, N, K, 0.5, pa, lda, strideA, pb, N, strideB, 0.25, pc, N, strideC);
      const sizes = { a: count * strideA, b: count * strideB, c: count * strideC };
      if (count === 64) expect(count * M * N * K).toBeGreaterThanOrEqual(1 << 22); // large enough to split
      const [one, two] = await onOneAndTwo(run, sizes, count);
      expect(two).toEqual(one);
      const random = seeded(count);
      const [a, b, c] = [randomArray(sizes.a, random), randomArray(sizes.b, random), randomArray(sizes.c, random)];
      for (let i = 0; i < count; i++) reference.gemm(transA, false, M, N, K, 0.5, a.subarray(i * strideA), lda, b.subarray(i * strideB), N, 0.25, c.subarray(i * strideC), N);
      expect(worstError(two, c, 1e-6 * Math.sqrt(K + 1) * 4, 1e-5)).toBeLessThanOrEqual(1);
    }
  });

  it('conv2dDirect: threads take ranges of images, bitwise the same as 1 thread', async () => {
    // LeNet's first layer on a batch of 64.
    const d = { images: 64, channels: 1, hp: 32, wp: 32, outH: 28, outW: 28, outChannels: 6, kh: 5, kw: 5, dh: 1, dw: 1 };
    const run = (px: number, pw: number, py: number): void => k.conv2dDirect(d, px, pw, pw, py);
    const [one, two] = await onOneAndTwo(run, { a: 64 * 32 * 32, b: 6 * 25, c: 64 * 6 * 28 * 28 }, 3);
    expect(two).toEqual(one);
  });

  it('conv2dDirectWeightGrad: threads take ranges of tiles, bitwise the same as 1 thread, and right', async () => {
    // LeNet's first layer on a batch of 64: 3 channel pairs x 7 tiles of 4 taps (the last has one).
    const d = { images: 64, channels: 1, hp: 32, wp: 32, outH: 28, outW: 28, outChannels: 6, kh: 5, kw: 5, dh: 1, dw: 1 };
    const sizes = { a: 64 * 32 * 32, b: 64 * 6 * 28 * 28, c: 6 * 25 };
    const run = (px: number, pdy: number, pdw: number): void => k.conv2dDirectWeightGrad(d, px, pdy, pdw);
    const [one, two] = await onOneAndTwo(run, sizes, 5);
    expect(two).toEqual(one);
    const random = seeded(5);
    const [x, dy] = [randomArray(sizes.a, random), randomArray(sizes.b, random)];
    const want = new Float64Array(sizes.c);
    reference.conv2dDirectWeightGrad(d, x, dy, want);
    expect(worstError(two, want, 1e-6 * Math.sqrt(64 * 28 * 28) * 4, 1e-5)).toBeLessThanOrEqual(1);
  });

  it('batch norm: threads take ranges of channels, bitwise the same as 1 thread', async () => {
    // A BatchNorm2d over 16 channels of 14 x 14 at batch 64: statistics, then the normalisation with them.
    const [images, channels, inner] = [64, 16, 196];
    const n = images * channels * inner;
    const run = (px: number, pb: number, pc: number): void => {
      k.batchNormStats(images, channels, inner, px, pb, pb + channels * 4);
      k.channelAffine(images, channels, inner, px, pb, pb + channels * 4, pc);
      k.batchNormBackwardStats(images, channels, inner, px, pc, pb, pc, pc + channels * 4);
    };
    const [one, two] = await onOneAndTwo(run, { a: n, b: 2 * channels, c: n }, 7);
    expect(two).toEqual(one);
  });

  it('col2im: threads take ranges of images, bitwise the same as 1 thread, and right', async () => {
    const g = { channels: 6, height: 14, width: 14, kh: 5, kw: 5, sh: 1, sw: 1, ph: 0, pw: 0, dh: 1, dw: 1 };
    const images = 64;
    const [colsSize, dxSize] = [images * 6 * 25 * 100, images * 6 * 14 * 14];
    const run = (pcols: number, _: number, pdx: number): void => k.col2im(images, g, pcols, pdx);
    const [one, two] = await onOneAndTwo(run, { a: colsSize, b: 4, c: dxSize }, 5);
    expect(two).toEqual(one);
    const random = seeded(5);
    const cols = randomArray(colsSize, random);
    const want = new Float32Array(dxSize);
    reference.col2im(images, g, cols, want);
    expect(worstError(two, want, 1e-6, 1e-6)).toBeLessThanOrEqual(1);
  });

  it("a convolution's dx by columns splits in LeNet's blocks: 17 dcols products, and col2im from 2 images", async () => {
    await setNumThreads(2);
    const g = { channels: 6, height: 14, width: 14, kh: 5, kw: 5, sh: 1, sw: 1, ph: 0, pw: 0, dh: 1, dw: 1 };
    const [M, N, K, images] = [150, 100, 16, 17];
    const buffers = [M * K, images * K * N, images * M * N, images * 6 * 14 * 14].map((n) => upload(k, new Float32Array(n)));
    const [w, dy, cols, dx] = buffers as [number, number, number, number];
    /** How many threads each pooled call of `run` used (none: it stayed on this thread). */
    const split = (run: () => void): number[] => {
      const pooled = vi.spyOn(WorkerPool.prototype, 'run');
      try {
        run();
        return pooled.mock.calls.map(([calls]) => calls.length);
      } finally {
        pooled.mockRestore();
      }
    };
    expect(split(() => k.gemmBatched(images, true, false, M, N, K, 1, w, M, 0, dy, N, K * N, 0, cols, N, M * N))).toEqual([2]);
    expect(split(() => k.col2im(2, g, cols, dx))).toEqual([2]);
    expect(split(() => k.col2im(1, g, cols, dx))).toEqual([]);
    for (const p of buffers) k.heap.free(p);
  });

  it('max pooling and its gradient: threads take ranges of planes, bitwise the same as 1 thread, and right', async () => {
    // LeNet's first pooling at batch 64: [64, 6, 28, 28] -> [64, 6, 14, 14]; y, the indices and dx all land in C.
    const g = { channels: 6, height: 28, width: 28, kh: 2, kw: 2, sh: 2, sw: 2, ph: 0, pw: 0, dh: 1, dw: 1 };
    const [planes, inputPlane, outputPlane] = [64 * 6, 28 * 28, 14 * 14];
    const out = planes * outputPlane;
    const run = (px: number, pdy: number, pc: number): void => {
      k.maxPool2d(64, g, px, pc, pc + out * 4);
      k.maxPool2dBackward(planes, inputPlane, outputPlane, pc + out * 4, pdy, pc + 2 * out * 4);
    };
    const [one, two] = await onOneAndTwo(run, { a: planes * inputPlane, b: out, c: 2 * out + planes * inputPlane }, 13);
    expect(two).toEqual(one);
    const random = seeded(13);
    const x = randomArray(planes * inputPlane, random);
    const [y, at] = [new Float32Array(out), new Int32Array(out)];
    reference.maxPool2d(64, g, x, y, at);
    expect(two.subarray(0, out)).toEqual(y);
    expect(new Int32Array(two.buffer, out * 4, out)).toEqual(at);
  });

  it('transposes of a stack, reductions and im2col: threads take ranges of blocks, bitwise the same as 1 thread', async () => {
    // conv2d's layout change of LeNet's first layer at batch 64: 64 matrices [784, 6].
    const [one, two] = await onOneAndTwo((pa, _, pc) => k.transpose(64, 784, 6, pa, pc), { a: 64 * 784 * 6, b: 1, c: 64 * 784 * 6 }, 17);
    expect(two).toEqual(one);
    const want = new Float32Array(64 * 784 * 6);
    reference.transpose(64, 784, 6, randomArray(64 * 784 * 6, seeded(17)), want);
    expect(two).toEqual(want);
    // Along the last axis (inner 1) and across rows (inner > 1), each of sum, mean and max.
    for (const [outer, len, inner] of [[512, 600, 1], [64, 10, 500]] as const) {
      for (const op of ['sum', 'mean', 'max'] as const) {
        const [a, b] = await onOneAndTwo((px, _, pc) => k.reduce(op, outer, len, inner, px, pc), { a: outer * len * inner, b: 1, c: outer * inner }, 19);
        expect(b, `${op} [${outer}, ${len}, ${inner}]`).toEqual(a);
      }
    }
    // LeNet's second layer's windows at batch 64: [64, 6, 14, 14] as columns [64, 150, 100].
    const g = { channels: 6, height: 14, width: 14, kh: 5, kw: 5, sh: 1, sw: 1, ph: 0, pw: 0, dh: 1, dw: 1 };
    const [cols1, cols2] = await onOneAndTwo((px, _, pc) => k.im2col(64, g, px, pc), { a: 64 * 6 * 14 * 14, b: 1, c: 64 * 150 * 100 }, 23);
    expect(cols2).toEqual(cols1);
  });

  // 32 output channels (4 panels) split by rows of C, 64 (8 panels) by columns.
  for (const N of [32, 64]) {
    it(`gemmIndirect (a convolution's windows, ${N} output channels): bitwise the same on 1 and 2 threads`, async () => {
      // A 3x3 convolution over a 16-channel 34x34 (padded) image: rows are the 32x32 output positions.
      const [C, H, W] = [16, 34, 34];
      const [M, K] = [32 * 32, C * 9];
      const rows = Int32Array.from({ length: M }, (_, i) => Math.floor(i / 32) * W + (i % 32));
      const cols = Int32Array.from({ length: K }, (_, j) => Math.floor(j / 9) * H * W + Math.floor((j % 9) / 3) * W + (j % 3));
      const pr = upload(k, rows);
      const pcol = upload(k, cols);
      const run = (pa: number, pb: number, pc: number): void => k.gemmIndirect(M, N, K, 1, pa, pr, pcol, true, pb, K, 0, pc, N);
      const [one, two] = await onOneAndTwo(run, { a: C * H * W, b: N * K, c: M * N }, 11);
      k.heap.free(pr);
      k.heap.free(pcol);
      expect(two).toEqual(one);
    });
  }
});

describe('threads: large elementwise kernels split into ranges, bitwise the same as on one thread', () => {
  // Above the threshold (2^18 elements), with odd lengths so ranges and the tail fall mid-vector.
  const n = (1 << 18) + 1037;

  /** out of `run` on threads 1 and 2, from the same inputs (three arrays of n values in [lo, hi]). */
  async function both(run: (x: number, y: number, z: number, out: number) => void, length = n, [lo, hi] = [-3, 3]): Promise<[Float32Array, Float32Array]> {
    const random = seeded(length);
    const inputs = [0, 1, 2].map(() => upload(k, randomArray(length, random, lo, hi)));
    const out = k.heap.alloc(length * 4);
    const results: Float32Array[] = [];
    for (const threads of [1, 2]) {
      await setNumThreads(threads);
      k.heap.floats(out, length).fill(Number.NaN);
      run(inputs[0]!, inputs[1]!, inputs[2]!, out);
      results.push(download(k, out, length));
    }
    for (const p of [...inputs, out]) k.heap.free(p);
    return results as [Float32Array, Float32Array];
  }

  for (const op of ['exp', 'tanh', 'sigmoid', 'leakyRelu'] as const) {
    it(`unary ${op} and its backward`, async () => {
      const [one, two] = await both((x, _y, _z, out) => k.unary(op, n, x, out, 0.1));
      expect(firstDifference(two, one)).toBe(-1);
      expect(one.some(Number.isNaN)).toBe(false);
      const [dOne, dTwo] = await both((x, y, dy, dx) => k.unaryBackward(op, n, x, y, dy, dx, 0.1));
      expect(firstDifference(dTwo, dOne)).toBe(-1);
    });
  }

  for (const [name, u, coefficients] of [
    ['adam (amsgrad, weight decay)', updates.adam, { beta1: 0.9, beta2: 0.999, stepSize: 0.01, bc2Sqrt: 0.3, eps: 1e-8, weightDecay: 0.01, decay: 1, amsgrad: true, maximize: false }],
    ['adam (no amsgrad: its buffer unused, address 0)', updates.adam, { beta1: 0.9, beta2: 0.999, stepSize: 0.01, bc2Sqrt: 0.3, eps: 1e-8, weightDecay: 0, decay: 1, amsgrad: false, maximize: false }],
    ['sgd (Nesterov momentum)', updates.sgd, { lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0.001, nesterov: true, maximize: false, first: false }],
  ] as const) {
    it(`the optimiser update ${name}: every buffer bitwise the same on 1 and 2 threads`, async () => {
      const length = (1 << 16) + 37; // two threads' worth, with a tail
      const results: Float32Array[][] = [];
      for (const threads of [1, 2]) {
        await setNumThreads(threads);
        const random = seeded(3);
        const buffers = Object.fromEntries(u.buffers.map((b) => [b, upload(k, randomArray(length, random, 0.1, 2))])) as Record<string, number>;
        if (name.includes('address 0')) buffers.maxExpAvgSq = 0;
        k.update(u, length, buffers, coefficients);
        results.push(Object.values(buffers).filter((p) => p !== 0).map((p) => download(k, p, length)));
        for (const p of Object.values(buffers)) if (p !== 0) k.heap.free(p);
      }
      expect(numThreads()).toBe(2);
      expect(results[1]).toEqual(results[0]);
      const random = seeded(3);
      expect(results[0]![0]).not.toEqual(randomArray(length, random, 0.1, 2)); // the parameter moved
    });
  }

  it('binary: contiguous, broadcast rows and a column broadcast, split by rows or by columns', async () => {
    // [label, elements written, run]; every input holds n values, enough for each case.
    const cases: Array<[string, number, (a: number, b: number, _z: number, out: number) => void]> = [
      ['one long row', n, (a, b, _z, out) => k.binary('add', 1, n, a, 0, 1, b, 0, 1, out)],
      ['rows, b broadcast along rows', 257 * 1021, (a, b, _z, out) => k.binary('mul', 257, 1021, a, 1021, 1, b, 0, 1, out)],
      ['rows, a scalar per row', 1021 * 257, (a, b, _z, out) => k.binary('sub', 1021, 257, a, 1, 0, b, 257, 1, out)],
    ];
    for (const [label, written, run] of cases) {
      const [one, two] = await both(run);
      expect(firstDifference(two, one), label).toBe(-1);
      expect(one.subarray(0, written).some(Number.isNaN), label).toBe(false);
    }
  });
});

describe('threads: the other heavy kernels split too, bitwise the same as on one thread', () => {
  const n = (1 << 18) + 1037;

  /**
   * As above (one thread by threadLimit, the pool running: quicker than restarting it); and on 2 threads each
   * kernel call must have split (the pool ran it).
   */
  async function both(run: (x: number, y: number, z: number, out: number) => void, [lo, hi] = [-3, 3], length = n): Promise<[Float32Array, Float32Array]> {
    const random = seeded(length + lo);
    const inputs = [0, 1, 2].map(() => upload(k, randomArray(length, random, lo, hi)));
    const out = k.heap.alloc(length * 4);
    const results: Float32Array[] = [];
    await setNumThreads(2);
    try {
      for (const threads of [1, 2]) {
        k.threadLimit = threads;
        k.heap.floats(out, length).fill(Number.NaN);
        const pooled = vi.spyOn(WorkerPool.prototype, 'run');
        run(inputs[0]!, inputs[1]!, inputs[2]!, out);
        const split = pooled.mock.calls.length > 0;
        pooled.mockRestore();
        expect(split, `split on ${threads} threads`).toBe(threads === 2);
        results.push(download(k, out, length));
      }
    } finally {
      k.threadLimit = Infinity;
    }
    for (const p of [...inputs, out]) k.heap.free(p);
    return results as [Float32Array, Float32Array];
  }

  it('unary kernels split from 2^13 elements per thread where their reference calls the direction costly', async () => {
    const length = (1 << 14) + 37; // two threads' worth of the costly ones, far under the others'
    for (const op of Object.keys(unaryKernels) as UnaryOpName[]) {
      const { costly = [] } = unaryKernels[op];
      for (const direction of ['forward', 'backward'] as const) {
        const run = (x: number, y: number, dy: number, out: number): void =>
          direction === 'forward' ? k.unary(op, length, x, out, 1.5) : k.unaryBackward(op, length, x, y, dy, out, 1.5);
        if (costly.includes(direction)) {
          const [one, two] = await both(run, [0.1, 3], length);
          expect(firstDifference(two, one), `${op} ${direction}`).toBe(-1);
          continue;
        }
        await setNumThreads(2);
        const [x, y, dy, dx] = [0, 1, 2, 3].map(() => upload(k, new Float32Array(length).fill(0.5)));
        const pooled = vi.spyOn(WorkerPool.prototype, 'run');
        run(x!, y!, dy!, dx!);
        expect(pooled.mock.calls.length, `${op} ${direction} stays on one thread`).toBe(0);
        pooled.mockRestore();
        for (const p of [x!, y!, dy!, dx!]) k.heap.free(p);
      }
    }
    expect(Object.values(unaryKernels).filter((u) => u.costly?.includes('forward')).length).toBeGreaterThanOrEqual(8);
  });

  it('softmax and log-softmax, forward and backward, along the last axis and across rows', async () => {
    for (const [outer, len, inner] of [[1031, 127, 1], [67, 10, 197]] as const) {
      for (const log of [false, true]) {
        const size = outer * len * inner;
        const [y1, y2] = await both((x, _y, _z, out) => k.softmax(outer, len, inner, log, x, out));
        expect(firstDifference(y2, y1), `[${outer}, ${len}, ${inner}] log=${log}`).toBe(-1);
        const want = new Float32Array(size);
        reference.softmax(outer, len, inner, log, randomArray(n, seeded(n - 3), -3, 3).subarray(0, size), want);
        expect(worstError(y1.subarray(0, size), want, 1e-6, 1e-5)).toBeLessThanOrEqual(1);
        const [d1, d2] = await both((y, dy, _z, dx) => k.softmaxBackward(outer, len, inner, log, y, dy, dx));
        expect(firstDifference(d2, d1)).toBe(-1);
        expect(d1.subarray(0, size).some(Number.isNaN)).toBe(false);
      }
    }
  });

  it('the elementwise losses and their gradients (dy per element and one dy for all)', async () => {
    for (const name of ['bce', 'bceWithLogits', 'mse'] as const) {
      const range: [number, number] = name === 'bce' ? [0.01, 0.99] : [-3, 3];
      const [l1, l2] = await both((x, t, _z, out) => k.loss(name, n, x, t, out), range);
      expect(firstDifference(l2, l1), name).toBe(-1);
      expect(l1.some(Number.isNaN), name).toBe(false);
      for (const dyStep of [1, 0]) {
        const [d1, d2] = await both((x, t, dy, dx) => k.lossBackward(name, n, x, t, dy, dyStep, 0.5, dx), range);
        expect(firstDifference(d2, d1), `${name} dyStep=${dyStep}`).toBe(-1);
        expect(d1.some(Number.isNaN)).toBe(false);
      }
    }
  });

  it('cross-entropy: rows split, the first bad label found in any range, ignored rows', async () => {
    const [rows, c] = [3001, 101];
    const random = seeded(29);
    const x = upload(k, randomArray(rows * c, random, -5, 5));
    const labelValues = Int32Array.from({ length: rows }, (_, i) => (i % 7 === 3 ? -100 : (i * 37) % c));
    const labels = upload(k, labelValues);
    const [out, dy, dx] = [k.heap.alloc(rows * 4), upload(k, randomArray(rows, random)), k.heap.alloc(rows * c * 4)];
    const results: Float32Array[][] = [];
    for (const threads of [1, 2]) {
      await setNumThreads(threads);
      const pooled = vi.spyOn(WorkerPool.prototype, 'run');
      expect(k.crossEntropy(rows, c, x, labels, -100, out)).toBe(-1);
      expect(pooled.mock.calls.length > 0).toBe(threads === 2);
      pooled.mockRestore();
      k.crossEntropyBackward(rows, c, x, labels, -100, dy, 1, 0.25, dx);
      results.push([download(k, out, rows), download(k, dx, rows * c)]);
      // A bad label in the second thread's rows, and then one in the first's as well: the first is named.
      for (const [bad, first] of [[[2900], 2900], [[2900, 5], 5]] as const) {
        const corrupt = labelValues.slice();
        for (const row of bad) corrupt[row] = c;
        k.heap.ints(labels, rows).set(corrupt);
        expect(k.crossEntropy(rows, c, x, labels, -100, out), `threads=${threads}`).toBe(first);
      }
      k.heap.ints(labels, rows).set(labelValues);
    }
    for (const i of [0, 1]) expect(firstDifference(results[1]![i]!, results[0]![i]!)).toBe(-1);
    expect(results[0]![0]![3]).toBe(0); // an ignored row
    for (const p of [x, labels, out, dy, dx]) k.heap.free(p);
  });

  it('copies (contiguous, strided by rows and by columns), fill, axpby, argmax and prelu', async () => {
    // [label, run, elements written, input length]: each large enough to split.
    const cases: Array<[string, (a: number, b: number, c: number, out: number) => void, number, number?]> = [
      ['copy', (a, _b, _c, out) => k.copy(out, a, n * 4), n],
      ['copyStrided, a transpose by rows', (a, _b, _c, out) => k.copyStrided(2053, 128, a, 1, 2053, out, 128, 1), 2053 * 128],
      ['copyStrided, one long strided row by columns', (a, _b, _c, out) => k.copyStrided(1, n, a, 0, 2, out, 0, 1), n, 2 * n],
      ['fill', (_a, _b, _c, out) => k.fill(n, 0.5, out), n],
      ['axpby', (a, b, _c, out) => k.axpby(n, 0.5, a, -2, b, out), n],
      ['argmax along the last axis', (a, _b, _c, out) => k.argmax(2053, 128, 1, a, out), 2053],
      ['prelu', (a, alpha, _c, out) => k.prelu(64, 32, 128, a, alpha, out), 64 * 32 * 128],
    ];
    for (const [label, run, written, length] of cases) {
      const [one, two] = await both(run, [-3, 3], length);
      expect(firstDifference(two, one), label).toBe(-1);
      expect(one.subarray(0, written).some(Number.isNaN), label).toBe(false);
    }
  });

  it('depthwise convolution and its weight gradient: ranges of channels, and right', async () => {
    // 32 channels of 30 x 30 (padded 32 x 32), 3 x 3 at stride 1, batch 8; and stride 2 with dilation (batch 32).
    for (const [images, sh, dh, outH] of [[8, 1, 1, 30], [32, 2, 2, 14]] as const) {
      const d = { images, channels: 32, hp: 32, wp: 32, outH, outW: outH, kh: 3, kw: 3, sh, sw: sh, dh, dw: dh };
      const [xSize, ySize] = [images * 32 * 32 * 32, images * 32 * outH * outH];
      const [y1, y2] = await both((x, w, _z, y) => k.depthwiseConv2d(d, x, w, y), [-1, 1], xSize);
      expect(firstDifference(y2, y1)).toBe(-1);
      const random = seeded(xSize - 1); // both()'s inputs
      const [x, w] = [randomArray(xSize, random, -1, 1), randomArray(xSize, random, -1, 1)];
      const want = new Float32Array(ySize);
      reference.depthwiseConv2d(d, x, w, want);
      expect(worstError(y1.subarray(0, ySize), want, 1e-5, 1e-5)).toBeLessThanOrEqual(1);
      const [g1, g2] = await both((px, pdy, _z, dw) => k.depthwiseConv2dWeightGrad(d, px, pdy, dw), [-1, 1], xSize);
      expect(firstDifference(g2, g1)).toBe(-1);
      const dw = new Float32Array(32 * 9);
      reference.depthwiseConv2dWeightGrad(d, x, w, dw);
      expect(worstError(g1.subarray(0, 32 * 9), dw, 1e-4, 1e-4)).toBeLessThanOrEqual(1);
    }
  });
});

describe('the default thread count', () => {
  afterAll(() => {
    delete process.env.BACKPROP_NUM_THREADS;
  });

  it('is every core this process may use (at most 8), or BACKPROP_NUM_THREADS; a bad value is named', () => {
    delete process.env.BACKPROP_NUM_THREADS;
    expect(defaultThreads()).toBe(Math.min(DEFAULT_MAX_THREADS, availableParallelism()));
    expect(DEFAULT_MAX_THREADS).toBe(8);
    process.env.BACKPROP_NUM_THREADS = '3';
    expect(defaultThreads()).toBe(3);
    for (const bad of ['0', 'two', '1.5', '']) {
      process.env.BACKPROP_NUM_THREADS = bad;
      expect(() => defaultThreads()).toThrow(`BACKPROP_NUM_THREADS must be a positive integer, got '${bad}'`);
    }
  });
});

describe('withSharedMemory', () => {
  it('declares the memory import shared: the module then refuses an unshared memory and takes a shared one', () => {
    const instance = instantiateSync('simd', true);
    expect(instance.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    const unshared = new WebAssembly.Memory({ initial: 16, maximum: 65536 });
    expect(() => new WebAssembly.Instance(instance.module, { env: { memory: unshared, abort: () => undefined } })).toThrow(WebAssembly.LinkError);
    expect(instantiateSync('simd', false).memory.buffer).toBeInstanceOf(ArrayBuffer);
  });

  it('names a module it cannot patch', () => {
    const noMemory = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
    expect(() => withSharedMemory(noMemory)).toThrow('the kernel module imports no memory; it must be built with --importMemory');
  });
});
