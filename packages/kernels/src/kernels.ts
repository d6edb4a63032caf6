import type { Heap } from './heap';
import type { Instance, SimdLevel } from './loader';
import type { BinaryOpName } from './reference/binary';
import type { LossName } from './reference/losses';
import type { ReduceOpName } from './reference/reduce';
import { unaryKernels, type UnaryOpName } from './reference/unary';
import type { Depthwise } from './reference/depthwise';
import type { DirectConv } from './reference/conv-direct';
import { windowOutput, type Window2d } from './reference/im2col';
import type { AnyUpdate, BuffersOf, CoefficientsOf } from './updates';
import type { Call, WorkerPool } from './threads';
import type { WasmExports } from './wasm-exports';

/**
 * Multiply-adds per thread below which a GEMM uses fewer threads: waking a worker and waiting for it
 * (10-120 us here) costs more than it saves. Measured on 2 cores: 32x256x256 (2^21 in all) ran 0.9x on two
 * threads, 64x128x784 (2^22.6) 1.7x, 512^3 1.9x. Back to back, with the workers spinning between calls (see
 * threads.ts), 32x256x256 later ran 1.82x and LeNet's 64x120x400 products 1.6-1.9x, but the first split after
 * the pool idled still wakes a sleeping worker, and at 2^19 a thread LeNet's two-thread step ran only ~3% faster.
 */
const MACS_PER_THREAD = 1 << 21;
/**
 * MACS_PER_THREAD for a batch of products split by ranges of products, where each thread packs its own operands as
 * one thread would (one product split by columns packs part of B per thread; split by rows, it reads a B packed on
 * another core). Two threads, back to back: 2 products of 64^3 (2^19 multiply-adds in all) ran 1.64x, 4 of LeNet's
 * dcols products (150 x 100 x 16, 2^19.9) 1.47x and 17 of them 1.77x; with a B shared by every product 1.15-1.54x.
 */
const BATCHED_MACS_PER_THREAD = 1 << 18;
/**
 * The same for elementwise kernels, in elements: at 2^16 in all an add ran 0.5x on two threads (exp 1.4x), from
 * 2^18 every op ran 1.6-2x.
 */
const ELEMENTS_PER_THREAD = 1 << 17;
/**
 * col2im's gather copies one channel's columns, with gaps, into each thread's scratch: up to this many floats
 * (1 MiB: 256 x 256 images under a 2 x 2 window; LeNet's second layer needs 3,508), beyond which it adds them in place.
 */
const GATHER_SCRATCH_FLOATS = 1 << 18;
/**
 * Floats of columns per thread from which col2im splits over threads. Two threads, back to back: from 2^14 floats
 * in all 1.34-1.38x (2^13.2: 1.07x); 2 of LeNet's second-layer images (30,000 floats) 1.43x, 17 of them 1.86x.
 */
const COL2IM_FLOATS_PER_THREAD = 1 << 13;
/**
 * The same for the fused optimiser updates, which read and write several buffers per element (Adam: four read,
 * three written), so fewer elements carry a thread's cost.
 */
const UPDATE_ELEMENTS_PER_THREAD = 1 << 15;
/**
 * ELEMENTS_PER_THREAD for kernels that take an exponential or a logarithm per element (softmax, cross-entropy,
 * the binary cross-entropies, the unary kernels their reference calls `costly`): at 2^13 in all, softmax ran
 * 1.1x on two threads and cross-entropy 1.6x; from 2^14, 1.5-1.9x. Unary forwards at 2^16 in all: exp 1.8x,
 * tanh 1.85x, sigmoid 1.85x, log 1.85x; relu, a costless one, 0.6x at 2^14.
 */
const EXP_ELEMENTS_PER_THREAD = 1 << 13;
/**
 * MACS_PER_THREAD for the depthwise kernels, which split by channels: from 2^20 multiply-adds in all, 1.4-1.85x
 * on two threads; below that, 0.5-1.7x from run to run.
 */
const DEPTHWISE_MACS_PER_THREAD = 1 << 19;
/** Columns per panel of a packed B (NR in assembly/gemm.ts). */
const PANEL_WIDTH = 8;
/** Panels per thread from which a GEMM splits by columns (see byColumns). */
const PANELS_PER_THREAD = 4;
/**
 * Elementwise ranges start at multiples of this many elements, so every element but the array's own tail goes
 * through the same SIMD loop it would on one thread (the scalar tail of a SIMD kernel may round differently).
 */
const VECTOR_ALIGN = 64;

/** The elements per thread from which a unary kernel splits across threads (see EXP_ELEMENTS_PER_THREAD). */
const unaryPerThread = (op: UnaryOpName, direction: 'forward' | 'backward'): number =>
  unaryKernels[op].costly?.includes(direction) ? EXP_ELEMENTS_PER_THREAD : ELEMENTS_PER_THREAD;

/** The byte offset in B of column j of op(B): j rows down B (transposed) or j columns across it. */
const columnOffset = (transB: boolean, ldb: number, j: number): number => j * (transB ? ldb : 1) * 4;

/** The multiply-adds of a direct convolution (and of its weight gradient). */
const directMacs = (d: DirectConv): number => d.images * d.outChannels * d.outH * d.outW * d.channels * d.kh * d.kw;

/** How many positions a window takes in a plane: outH outW. */
const windowPositions = (g: Window2d): number => windowOutput(g.height, g.kh, g.sh, g.ph, g.dh) * windowOutput(g.width, g.kw, g.sw, g.pw, g.dw);
/** Floats of an image and of its columns (im2col's output). */
const windowSizes = (g: Window2d): [image: number, imageCols: number] => [g.channels * g.height * g.width, g.channels * g.kh * g.kw * windowPositions(g)];
/** im2col's and col2im's window arguments after the image count. */
const windowArgs = (g: Window2d): number[] => [g.channels, g.height, g.width, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.dh, g.dw];

/** The address of float i of the buffer at `ptr`; 0 (a buffer the kernel does not read) stays 0. */
const floatAt = (ptr: number, i: number): number => (ptr === 0 ? 0 : ptr + i * 4);

/**
 * The kernels of one WASM instance. Methods take heap pointers (bytes) and element counts; the caller owns
 * the buffers (allocate them with `heap.alloc`). Kernels that need scratch space keep it here and reuse it.
 */
export class Kernels {
  private instance: Instance | undefined;
  private scratchPtr = 0;
  private scratchBytes = 0;
  private readonly updateArgs = new Map<AnyUpdate, number[]>();
  private pool: WorkerPool | undefined;

  constructor(private readonly resolve: () => Instance) {}

  /** Instantiates now if not yet done (a no-op afterwards). */
  load(): Instance {
    return (this.instance ??= this.resolve());
  }

  /** Installs an instance created asynchronously (by `ready()` in a browser). */
  install(instance: Instance): void {
    this.instance ??= instance;
  }

  /** Worker threads on this instance's (shared) memory that split the heavy kernels; undefined: this thread only. */
  setPool(pool: WorkerPool | undefined): void {
    this.pool = pool;
  }

  /**
   * At most this many threads per kernel call (the pool keeps running): a benchmark can time one thread and
   * several in the same process, switching between calls. Infinity by default.
   */
  threadLimit = Infinity;

  /** Threads the heavy kernels use now: this one and the pool's, up to threadLimit. */
  get threads(): number {
    return Math.min(this.threadLimit, 1 + (this.pool?.size ?? 0));
  }

  get loaded(): boolean {
    return this.instance !== undefined;
  }

  get level(): SimdLevel {
    return this.load().level;
  }

  get heap(): Heap {
    return this.load().heap;
  }

  /** The raw WASM exports, for kernels without a wrapper here. */
  get wasm(): WasmExports {
    return this.load().exports;
  }

  /**
   * C = alpha * op(A) * op(B) + beta * C, row-major float32 (BLAS sgemm semantics; beta = 0 never reads C).
   * op(A) is M x K (A is K x M when transA), op(B) is K x N (B is N x K when transB).
   */
  gemm(
    transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number,
    a: number, lda: number, b: number, ldb: number, beta: number, c: number, ldc: number,
  ): void {
    if (M === 0 || N === 0) return;
    const w = this.wasm;
    if (M < 4 && !transA) {
      w.gemmSmallM(transB ? 1 : 0, M, N, K, alpha, a, lda, b, ldb, beta, c, ldc);
      return;
    }
    const packed = this.packFor(M, N, K, transB, b, ldb);
    this.gemmPacked(transA, M, N, K, alpha, a, lda, packed, beta, c, ldc);
  }

  /**
   * Whether a GEMM on `parts` threads splits by columns of C (ranges of B's panels) rather than by rows. By
   * columns, each thread packs the panels it multiplies, where by rows every thread reads every panel one thread
   * packed, and the packed B crosses cores on every call (two threads, back to back: 256^3 1.96x one thread by
   * columns against 1.73x by rows, Linear 784->256's products on a batch of 128 2.0x against 1.56x). With few
   * panels a range is a large share of the work: 3 panels, 1024 x 24 x 512, ran 1.47x by columns, 1.9x by rows.
   */
  private byColumns(N: number, parts: number): boolean {
    return parts > 1 && Math.ceil(N / PANEL_WIDTH) >= PANELS_PER_THREAD * parts;
  }

  /** One call per part over ranges of whole panels of columns [0, N): this thread takes the first. */
  private byPanels(N: number, parts: number, call: (j0: number, j1: number) => Call): void {
    this.byRanges(N, PANEL_WIDTH, parts, call);
  }

  /**
   * op(B) packed into panels of 8 columns in the scratch buffer (see assembly/gemm.ts), for an M x N x K product.
   * Panels are independent, so a large B packs by ranges of panels over the threads: the product's own ranges
   * when it splits by columns (so each thread multiplies the panels it packed), else ranges of its own size.
   */
  private packFor(M: number, N: number, K: number, transB: boolean, b: number, ldb: number): number {
    const w = this.wasm;
    const packed = this.scratch(w.packedBSize(K, N));
    const gemmParts = this.gemmParts(M, N, K);
    const parts = this.byColumns(N, gemmParts) ? gemmParts : this.parts(K * N, ELEMENTS_PER_THREAD);
    if (parts === 1) w.packB(transB ? 1 : 0, K, N, b, ldb, packed);
    else this.byPanels(N, parts, (j0, j1) => ({ name: 'packB', args: [transB ? 1 : 0, K, j1 - j0, b + columnOffset(transB, ldb, j0), ldb, packed + j0 * K * 4] }));
    return packed;
  }

  /**
   * gemmPacked, split over the threads when the product is large enough, by columns or by rows as packFor packed
   * it. Every element of C is the same sum in the same order whichever thread computes it, so the result is
   * bitwise the same for any count.
   */
  private gemmPacked(transA: boolean, M: number, N: number, K: number, alpha: number, a: number, lda: number, packed: number, beta: number, c: number, ldc: number): void {
    const parts = this.gemmParts(M, N, K);
    if (parts === 1) {
      this.wasm.gemmPacked(transA ? 1 : 0, M, N, K, alpha, a, lda, packed, beta, c, ldc);
      return;
    }
    if (this.byColumns(N, parts)) {
      this.byPanels(N, parts, (j0, j1) => ({ name: 'gemmPacked', args: [transA ? 1 : 0, M, j1 - j0, K, alpha, a, lda, packed + j0 * K * 4, beta, c + j0 * 4, ldc] }));
      return;
    }
    // Row i of op(A) starts i rows down A, or i columns across A^T.
    const rowBytes = transA ? 4 : lda * 4;
    this.byRows(M, parts, (m0, m1) => ({ name: 'gemmPacked', args: [transA ? 1 : 0, m1 - m0, N, K, alpha, a + m0 * rowBytes, lda, packed, beta, c + m0 * ldc * 4, ldc] }));
  }

  /** Threads for a GEMM: one per MACS_PER_THREAD multiply-adds, and rows for each to run its micro-kernel on. */
  private gemmParts(M: number, N: number, K: number): number {
    return M >= 8 ? this.parts(M * N * K, MACS_PER_THREAD) : 1;
  }

  /** Threads for `work` units at `perThread` units each at least: 1 up to every thread there is. */
  private parts(work: number, perThread: number): number {
    return Math.max(1, Math.min(this.threads, Math.floor(work / perThread)));
  }

  /** GEMM rows in blocks of a multiple of 4, the micro-kernel's height. */
  private byRows(M: number, parts: number, call: (m0: number, m1: number) => Call): void {
    this.byRanges(M, 4, parts, call);
  }

  /**
   * One call per part over [0, n) in ranges of a multiple of `align`: this thread takes the first. Returns what
   * each call returned, in order (0 for a kernel that returns nothing).
   */
  private byRanges(n: number, align: number, parts: number, call: (i0: number, i1: number, part: number) => Call): number[] {
    const step = Math.ceil(n / parts / align) * align;
    const calls: Call[] = [];
    for (let i0 = 0; i0 < n; i0 += step) calls.push(call(i0, Math.min(n, i0 + step), calls.length));
    const exports = this.wasm as unknown as Record<string, (...args: number[]) => number | void>;
    if (calls.length === 1) return [exports[calls[0]!.name]!(...calls[0]!.args) ?? 0];
    return this.pool!.run(calls, ({ name, args }) => exports[name]!(...args));
  }

  /**
   * `count` GEMMs C_i = alpha op(A_i) op(B_i) + beta C_i with A_i at a + i strideA, B_i at b + i strideB and C_i at
   * c + i strideC (strides in elements; cuBLAS's strided-batched GEMM). A B shared by every product
   * (strideB = 0) is packed once. Threads take ranges of the products when there are enough of them (or each is
   * too small to split by rows), each packing into its own buffer: every product is computed as on one thread.
   */
  gemmBatched(
    count: number, transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number,
    a: number, lda: number, strideA: number, b: number, ldb: number, strideB: number, beta: number, c: number, ldc: number, strideC: number,
  ): void {
    if (M === 0 || N === 0 || count === 0) return;
    // Under 4 rows of A, not transposed: gemmSmallM reads B in place, so there is nothing to pack or split.
    const smallM = M < 4 && !transA;
    const shared = strideB === 0;
    const parts = smallM ? 1 : Math.min(count, this.parts(count * M * N * K, BATCHED_MACS_PER_THREAD));
    if (parts > 1 && (count >= this.threads || this.gemmParts(M, N, K) === 1)) {
      const bytes = this.wasm.packedBSize(K, N);
      const packed = shared ? this.packFor(M, N, K, transB, b, ldb) : this.scratch(parts * bytes);
      this.byRanges(count, 1, parts, (i0, i1, part) => ({
        name: 'gemmBatched',
        args: [i1 - i0, transA ? 1 : 0, transB ? 1 : 0, M, N, K, alpha, a + i0 * strideA * 4, lda, strideA, b + i0 * strideB * 4, ldb, strideB, beta, c + i0 * strideC * 4, ldc, strideC, shared ? packed : packed + part * bytes],
      }));
      return;
    }
    // Otherwise one product at a time, each split by columns or rows when large enough.
    if (!shared || smallM) {
      for (let i = 0; i < count; i++) this.gemm(transA, transB, M, N, K, alpha, a + i * strideA * 4, lda, b + i * strideB * 4, ldb, beta, c + i * strideC * 4, ldc);
      return;
    }
    const packed = this.packFor(M, N, K, transB, b, ldb);
    for (let i = 0; i < count; i++) this.gemmPacked(transA, M, N, K, alpha, a + i * strideA * 4, lda, packed, beta, c + i * strideC * 4, ldc);
  }

  /**
   * C = alpha A op(B) + beta C, A read through offset tables: A[i][k] = base[rowOffsets[i] + colOffsets[k]]
   * (int32 tables at byte addresses; offsets in elements). op(B) is K x N, as in gemm; B is packed first.
   */
  gemmIndirect(
    M: number, N: number, K: number, alpha: number, base: number, rowOffsets: number, colOffsets: number,
    transB: boolean, b: number, ldb: number, beta: number, c: number, ldc: number,
  ): void {
    if (M === 0 || N === 0) return;
    const w = this.wasm;
    const packed = this.packFor(M, N, K, transB, b, ldb);
    const parts = this.gemmParts(M, N, K);
    if (parts === 1) {
      w.gemmIndirect(M, N, K, alpha, base, rowOffsets, colOffsets, packed, beta, c, ldc);
      return;
    }
    if (this.byColumns(N, parts)) {
      this.byPanels(N, parts, (j0, j1) => ({ name: 'gemmIndirect', args: [M, j1 - j0, K, alpha, base, rowOffsets, colOffsets, packed + j0 * K * 4, beta, c + j0 * 4, ldc] }));
      return;
    }
    this.byRows(M, parts, (m0, m1) => ({ name: 'gemmIndirect', args: [m1 - m0, N, K, alpha, base, rowOffsets + m0 * 4, colOffsets, packed, beta, c + m0 * ldc * 4, ldc] }));
  }

  /** One fused optimiser update (see updates.ts) over n elements of each buffer (byte addresses), in place. */
  update<U extends AnyUpdate>(u: U, n: number, buffers: Record<BuffersOf<U>, number>, coefficients: CoefficientsOf<U>): void {
    this.updateAt(u, n, buffers, coefficients, Number);
  }

  /** update() with buffers of any kind, each turned into its byte address by `address` right before the call. */
  updateAt<U extends AnyUpdate, B>(u: U, n: number, buffers: Record<BuffersOf<U>, B>, coefficients: CoefficientsOf<U>, address: (buffer: B) => number): void {
    // The table's names give the kernel's argument order (the kernel tests check it). The argument list is
    // reused from call to call: an optimiser step makes one call per parameter, and allocations there show.
    let args = this.updateArgs.get(u);
    if (!args) this.updateArgs.set(u, (args = new Array<number>(1 + u.buffers.length + u.coefficients.length).fill(0)));
    const named = buffers as Record<string, B>;
    const values = coefficients as Record<string, number | boolean>;
    args[0] = n;
    let i = 1;
    for (const name of u.buffers) args[i++] = address(named[name]!);
    for (const name of u.coefficients) args[i++] = Number(values[name]);
    const parts = this.parts(n, UPDATE_ELEMENTS_PER_THREAD);
    if (parts === 1) {
      const kernel: (...args: number[]) => void = this.wasm[u.kernel];
      kernel(...args);
      return;
    }
    // Ranges of every buffer (an unused one stays 0); the coefficients as they are.
    const buffersEnd = 1 + u.buffers.length;
    const all = args;
    this.byRanges(n, VECTOR_ALIGN, parts, (i0, i1) => ({
      name: u.kernel,
      args: all.map((v, j) => (j === 0 ? i1 - i0 : j < buffersEnd ? floatAt(v, i0) : v)),
    }));
  }

  /** Binary op `op` over the 2-D broadcast view: see BinaryOp. */
  binary(op: BinaryOpName, rows: number, cols: number, a: number, aRow: number, aCol: number, b: number, bRow: number, bCol: number, out: number): void {
    const parts = this.parts(rows * cols, ELEMENTS_PER_THREAD);
    if (parts === 1) this.wasm[op](rows, cols, a, aRow, aCol, b, bRow, bCol, out);
    else this.byRowsOrColumns(op, rows, cols, parts, [[a, aRow, aCol, true], [b, bRow, bCol, true], [out, cols, 1, false]]);
  }

  /** The view [rows, cols] of src (strides in elements) copied into the view of dst (float32 or int32). */
  copyStrided(rows: number, cols: number, src: number, srcRow: number, srcCol: number, dst: number, dstRow: number, dstCol: number): void {
    const parts = this.parts(rows * cols, ELEMENTS_PER_THREAD);
    if (parts === 1) this.wasm.copyStrided(rows, cols, src, srcRow, srcCol, dst, dstRow, dstCol);
    else this.byRowsOrColumns('copyStrided', rows, cols, parts, [[src, srcRow, srcCol, true], [dst, dstRow, dstCol, true]]);
  }

  /**
   * A kernel (rows, cols, ...operands) over a 2-D view split in `parts`: ranges of rows when there are enough,
   * else each row's ranges of columns. An operand is [address, row stride, column stride] (in elements),
   * passed to the kernel as all three, or as its address alone when the kernel knows its strides.
   */
  private byRowsOrColumns(name: keyof WasmExports, rows: number, cols: number, parts: number, operands: ReadonlyArray<readonly [number, number, number, boolean]>): void {
    const args = (r: number, c0: number, c1: number, r1 = r + 1): number[] => [
      r1 - r, c1 - c0,
      ...operands.flatMap(([at, row, col, passStrides]) => (passStrides ? [at + (r * row + c0 * col) * 4, row, col] : [at + (r * row + c0 * col) * 4])),
    ];
    if (rows >= parts) this.byRanges(rows, 1, parts, (r0, r1) => ({ name, args: args(r0, 0, cols, r1) }));
    else for (let r = 0; r < rows; r++) this.byRanges(cols, VECTOR_ALIGN, parts, (c0, c1) => ({ name, args: args(r, c0, c1) }));
  }

  /** dst = src, `bytes` of them. */
  copy(dst: number, src: number, bytes: number): void {
    const parts = this.parts(bytes / 4, ELEMENTS_PER_THREAD);
    if (parts === 1) this.wasm.copy(dst, src, bytes);
    else this.byRanges(bytes, 4 * VECTOR_ALIGN, parts, (b0, b1) => ({ name: 'copy', args: [dst + b0, src + b0, b1 - b0] }));
  }

  /** n floats at out set to value. */
  fill(n: number, value: number, out: number): void {
    const parts = this.parts(n, ELEMENTS_PER_THREAD);
    if (parts === 1) this.wasm.fill(n, value, out);
    else this.byRanges(n, VECTOR_ALIGN, parts, (i0, i1) => ({ name: 'fill', args: [i1 - i0, value, out + i0 * 4] }));
  }

  /** out = alpha a + beta b over n elements. */
  axpby(n: number, alpha: number, a: number, beta: number, b: number, out: number): void {
    const parts = this.parts(n, ELEMENTS_PER_THREAD);
    if (parts === 1) this.wasm.axpby(n, alpha, a, beta, b, out);
    else this.byRanges(n, VECTOR_ALIGN, parts, (i0, i1) => ({ name: 'axpby', args: [i1 - i0, alpha, a + i0 * 4, beta, b + i0 * 4, out + i0 * 4] }));
  }

  /** y = op(x; p) over n elements. */
  unary(op: UnaryOpName, n: number, x: number, y: number, p = 0): void {
    const parts = this.parts(n, unaryPerThread(op, 'forward'));
    if (parts === 1) this.wasm[op](n, x, y, p);
    else this.byRanges(n, VECTOR_ALIGN, parts, (i0, i1) => ({ name: op, args: [i1 - i0, x + i0 * 4, y + i0 * 4, p] }));
  }

  /** dx = dy * op'(x; p), from x or y as the op reads them (`unaryKernels[op].reads`; pass 0 for the other). */
  unaryBackward(op: UnaryOpName, n: number, x: number, y: number, dy: number, dx: number, p = 0): void {
    const parts = this.parts(n, unaryPerThread(op, 'backward'));
    if (parts === 1) {
      this.wasm[`${op}Backward`](n, x, y, dy, dx, p);
      return;
    }
    // x or y may be 0 (not read): it stays 0.
    this.byRanges(n, VECTOR_ALIGN, parts, (i0, i1) => ({ name: `${op}Backward`, args: [i1 - i0, floatAt(x, i0), floatAt(y, i0), dy + i0 * 4, dx + i0 * 4, p] }));
  }

  /**
   * out[o, j] = the sum, mean or maximum over k of x[o, k, j], x viewed as [outer, len, inner]. Threads take
   * ranges of o (each output is summed in the same order as on one thread).
   */
  reduce(op: ReduceOpName, outer: number, len: number, inner: number, x: number, out: number): void {
    this.byBlocks(reduceExports[op], outer, len * inner, [len, inner], [[x, len * inner], [out, inner]]);
  }

  /** y[n] = x[n]^T for count matrices x [count, rows, cols] one after another (32-bit elements); threads take ranges of matrices. */
  transpose(count: number, rows: number, cols: number, x: number, y: number): void {
    this.byBlocks('transpose', count, rows * cols, [rows, cols], [[x, rows * cols], [y, rows * cols]]);
  }

  /** out[o, j] = the first k where x[o, k, j] is largest (NaN counting as largest), int32; threads take ranges of o. */
  argmax(outer: number, len: number, inner: number, x: number, out: number): void {
    this.byBlocks('argmax', outer, len * inner, [len, inner], [[x, len * inner], [out, inner]]);
  }

  /** y = softmax (or, when log, log-softmax) of x [outer, len, inner] along len; threads take ranges of o. */
  softmax(outer: number, len: number, inner: number, log: boolean, x: number, y: number): void {
    this.byBlocks('softmax', outer, len * inner, [len, inner, log ? 1 : 0], [[x, len * inner], [y, len * inner]], EXP_ELEMENTS_PER_THREAD);
  }

  /** dx of softmax (or log-softmax) from its output y and dy. */
  softmaxBackward(outer: number, len: number, inner: number, log: boolean, y: number, dy: number, dx: number): void {
    const block = len * inner;
    this.byBlocks('softmaxBackward', outer, block, [len, inner, log ? 1 : 0], [[y, block], [dy, block], [dx, block]], EXP_ELEMENTS_PER_THREAD);
  }

  /** y = x where x > 0, else alpha[c] x, over x [outer, channels, inner]; threads take ranges of o. */
  prelu(outer: number, channels: number, inner: number, x: number, alpha: number, y: number): void {
    this.byBlocks('prelu', outer, channels * inner, [channels, inner], [[x, channels * inner], [alpha, 0], [y, channels * inner]]);
  }

  /** The elementwise loss `name` of x against targets t (reduction 'none'). */
  loss(name: LossName, n: number, x: number, t: number, out: number): void {
    const parts = this.parts(n, EXP_ELEMENTS_PER_THREAD);
    if (parts === 1) this.wasm[name](n, x, t, out);
    else this.byRanges(n, VECTOR_ALIGN, parts, (i0, i1) => ({ name, args: [i1 - i0, x + i0 * 4, t + i0 * 4, out + i0 * 4] }));
  }

  /** dx = scale dy[i dyStep] dloss/dx_i: dyStep 1 for reduction 'none', 0 (one upstream value) otherwise. */
  lossBackward(name: LossName, n: number, x: number, t: number, dy: number, dyStep: number, scale: number, dx: number): void {
    const parts = this.parts(n, EXP_ELEMENTS_PER_THREAD);
    const kernel = `${name}Backward` as const;
    if (parts === 1) this.wasm[kernel](n, x, t, dy, dyStep, scale, dx);
    else this.byRanges(n, VECTOR_ALIGN, parts, (i0, i1) => ({ name: kernel, args: [i1 - i0, x + i0 * 4, t + i0 * 4, dy + i0 * dyStep * 4, dyStep, scale, dx + i0 * 4] }));
  }

  /**
   * Cross-entropy of logits x [n, c] with int32 labels, per row (a row labelled ignoreIndex gives 0). Returns -1,
   * or the first row whose label is out of range; threads take ranges of rows.
   */
  crossEntropy(n: number, c: number, x: number, labels: number, ignoreIndex: number, out: number): number {
    const parts = this.parts(n * c, EXP_ELEMENTS_PER_THREAD);
    if (parts === 1) return this.wasm.crossEntropy(n, c, x, labels, ignoreIndex, out);
    const starts: number[] = [];
    const results = this.byRanges(n, 1, parts, (i0, i1) => {
      starts.push(i0);
      return { name: 'crossEntropy', args: [i1 - i0, c, x + i0 * c * 4, labels + i0 * 4, ignoreIndex, out + i0 * 4] };
    });
    // Ranges in order: the first range with a bad label holds the first bad row.
    const bad = results.findIndex((row) => row >= 0);
    return bad < 0 ? -1 : starts[bad]! + results[bad]!;
  }

  /** dx = scale dy (softmax(x) - onehot(label)) per row; ignored rows get 0. */
  crossEntropyBackward(n: number, c: number, x: number, labels: number, ignoreIndex: number, dy: number, dyStep: number, scale: number, dx: number): void {
    const parts = this.parts(n * c, EXP_ELEMENTS_PER_THREAD);
    if (parts === 1) this.wasm.crossEntropyBackward(n, c, x, labels, ignoreIndex, dy, dyStep, scale, dx);
    else {
      this.byRanges(n, 1, parts, (i0, i1) => ({
        name: 'crossEntropyBackward',
        args: [i1 - i0, c, x + i0 * c * 4, labels + i0 * 4, ignoreIndex, dy + i0 * dyStep * 4, dyStep, scale, dx + i0 * c * 4],
      }));
    }
  }

  /**
   * A kernel over `count` independent blocks of `size` elements, called as (count, ...args, ...buffers) where
   * each buffer is [pointer, elements per block]: threads take ranges of blocks.
   */
  private byBlocks(name: keyof WasmExports, count: number, size: number, args: number[], buffers: [number, number][], perThread = ELEMENTS_PER_THREAD): void {
    if (count === 0) return;
    const parts = Math.min(count, this.parts(count * size, perThread));
    this.byRanges(count, 1, parts, (i0, i1) => ({ name, args: [i1 - i0, ...args, ...buffers.map(([p, block]) => p + i0 * block * 4)] }));
  }

  /**
   * Per channel of x [images, channels, inner]: the mean and the biased variance, from float64 sums. This and the
   * other batch-norm kernels split by ranges of channels, each computed as on one thread.
   */
  batchNormStats(images: number, channels: number, inner: number, x: number, mean: number, variance: number): void {
    this.byChannels('batchNormStats', images, channels, inner, [x, mean, variance]);
  }

  /** Per channel: sumDy = the sum of dy, dot = the sum of (x - mean) dy (batch norm's gradient sums). */
  batchNormBackwardStats(images: number, channels: number, inner: number, x: number, dy: number, mean: number, sumDy: number, dot: number): void {
    this.byChannels('batchNormBackwardStats', images, channels, inner, [x, dy, mean, sumDy, dot]);
  }

  /** y = x scale[c] + shift[c] over x [images, channels, inner]. */
  channelAffine(images: number, channels: number, inner: number, x: number, scale: number, shift: number, y: number): void {
    this.byChannels('channelAffine', images, channels, inner, [x, scale, shift, y]);
  }

  /** Batch norm's dx: (dy - meanDy - (x - mean) k) invstd w when training, dy invstd w otherwise (per-channel arrays). */
  batchNormBackwardInput(
    images: number, channels: number, inner: number, training: boolean,
    x: number, dy: number, mean: number, meanDy: number, k: number, invstd: number, w: number, dx: number,
  ): void {
    this.byChannels('batchNormBackwardInput', images, channels, inner, [training ? 1 : 0, x, dy, mean, meanDy, k, invstd, w, dx]);
  }

  /** A kernel over channels [c0, c1) of [images, channels, inner], its arguments after c1 as given: ranges of channels per thread. */
  private byChannels(name: keyof WasmExports, images: number, channels: number, inner: number, args: number[]): void {
    if (channels === 0) return;
    const parts = Math.min(channels, this.parts(images * channels * inner, ELEMENTS_PER_THREAD));
    this.byRanges(channels, 1, parts, (c0, c1) => ({ name, args: [images, channels, inner, c0, c1, ...args] }));
  }

  /** The windows of x [images, channels, height, width] as columns [images, channels kh kw, outH outW] (F.unfold), zero padding. */
  im2col(images: number, g: Window2d, x: number, cols: number): void {
    const [image, imageCols] = windowSizes(g);
    this.byBlocks('im2col', images, imageCols, windowArgs(g), [[x, image], [cols, imageCols]]);
  }

  /**
   * dx = the columns summed back into the images they were taken from (F.fold; the gradient of im2col). Threads
   * take ranges of images. At stride 1 each thread gathers through a scratch copy of one channel's columns (see
   * assembly/im2col.ts) unless that copy would pass GATHER_SCRATCH_FLOATS; the sums are the same either way.
   */
  col2im(images: number, g: Window2d, cols: number, dx: number): void {
    if (images === 0) return;
    const [image, imageCols] = windowSizes(g);
    const parts = Math.min(images, this.parts(images * imageCols, COL2IM_FLOATS_PER_THREAD));
    const floats = g.sh === 1 && g.sw === 1 ? this.wasm.col2imScratchFloats(g.height, g.width, g.kh, g.kw, g.ph, g.pw, g.dh, g.dw) : Infinity;
    const bytes = floats <= GATHER_SCRATCH_FLOATS ? Math.ceil(floats / 4) * 16 : 0;
    const scratch = bytes > 0 ? this.scratch(parts * bytes) : 0;
    this.byRanges(images, 1, parts, (n0, n1, part) => ({
      name: 'col2im',
      args: [n1 - n0, ...windowArgs(g), cols + n0 * imageCols * 4, dx + n0 * image * 4, bytes > 0 ? scratch + part * bytes : 0],
    }));
  }

  /** y = the maximum of each window of x [images, channels, height, width]; indices (int32) = where in its plane. */
  maxPool2d(images: number, g: Window2d, x: number, y: number, indices: number): void {
    const [inputPlane, outputPlane] = [g.height * g.width, windowPositions(g)];
    // Threads take ranges of planes (indices are within a plane).
    this.byBlocks('maxPool2d', images * g.channels, inputPlane, [g.height, g.width, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.dh, g.dw], [[x, inputPlane], [y, outputPlane], [indices, outputPlane]]);
  }

  /** dx = 0, then each dy added where its window's maximum came from (indices as maxPool2d wrote them). */
  maxPool2dBackward(planes: number, inputPlane: number, outputPlane: number, indices: number, dy: number, dx: number): void {
    this.byBlocks('maxPool2dBackward', planes, inputPlane, [inputPlane, outputPlane], [[indices, outputPlane], [dy, outputPlane], [dx, inputPlane]]);
  }

  /**
   * y = the depthwise convolution of padded x [images, channels, hp, wp] with w [channels, kh, kw]. This and its
   * weight gradient split by ranges of channels (each channel's sums run as on one thread).
   */
  depthwiseConv2d(d: Depthwise, x: number, w: number, y: number): void {
    this.depthwiseByChannels('depthwiseConv2d', d, [x, w, y]);
  }

  /**
   * y [images, outChannels, outH, outW] = the stride-1 convolution of padded x [images, channels, hp, wp] with
   * w [outChannels, channels, kh, kw], plus bias [outChannels] (0: none). Threads take ranges of images.
   */
  conv2dDirect(d: DirectConv, x: number, w: number, bias: number, y: number): void {
    const [xImage, yImage] = [4 * d.channels * d.hp * d.wp, 4 * d.outChannels * d.outH * d.outW];
    const parts = Math.min(d.images, this.parts(directMacs(d), MACS_PER_THREAD));
    // Each thread's scratch: the taps' offsets and a tile's weights, [taps][3] (see assembly/conv-direct.ts).
    const scratchBytes = Math.ceil((d.channels * d.kh * d.kw * 4 * 4) / 16) * 16;
    const scratch = this.scratch(parts * scratchBytes);
    this.byRanges(d.images, 1, parts, (n0, n1, part) => ({
      name: 'conv2dDirect',
      args: [n1 - n0, d.channels, d.hp, d.wp, d.outH, d.outW, d.outChannels, d.kh, d.kw, d.dh, d.dw, x + n0 * xImage, w, bias, y + n0 * yImage, scratch + part * scratchBytes],
    }));
  }

  /**
   * dweight [outChannels, channels, kh, kw] of conv2dDirect's convolution, from padded x and dy [images,
   * outChannels, outH, outW]. Threads take ranges of tiles (2 output channels by 4 taps, see
   * assembly/conv-direct.ts), each summed as on one thread.
   */
  conv2dDirectWeightGrad(d: DirectConv, x: number, dy: number, dweight: number): void {
    const tiles = Math.ceil(d.outChannels / 2) * Math.ceil((d.channels * d.kh * d.kw) / 4);
    const parts = Math.min(tiles, this.parts(directMacs(d), MACS_PER_THREAD));
    this.byRanges(tiles, 1, parts, (t0, t1) => ({
      name: 'conv2dDirectWeightGrad',
      args: [d.images, d.channels, d.hp, d.wp, d.outH, d.outW, d.outChannels, d.kh, d.kw, d.dh, d.dw, t0, t1, x, dy, dweight],
    }));
  }

  /** dw [channels, kh, kw] of a depthwise convolution, from padded x and dy. */
  depthwiseConv2dWeightGrad(d: Depthwise, x: number, dy: number, dw: number): void {
    this.depthwiseByChannels('depthwiseConv2dWeightGrad', d, [x, dy, dw]);
  }

  private depthwiseByChannels(name: 'depthwiseConv2d' | 'depthwiseConv2dWeightGrad', d: Depthwise, buffers: number[]): void {
    if (d.channels === 0) return;
    const macs = d.images * d.channels * d.outH * d.outW * d.kh * d.kw;
    const parts = Math.min(d.channels, this.parts(macs, DEPTHWISE_MACS_PER_THREAD));
    this.byRanges(d.channels, 1, parts, (c0, c1) => ({
      name,
      args: [d.images, d.channels, c0, c1, d.hp, d.wp, d.outH, d.outW, d.kh, d.kw, d.sh, d.sw, d.dh, d.dw, ...buffers],
    }));
  }

  /** A scratch block of at least `bytes`, reused across calls; valid until the next call that needs scratch. */
  private scratch(bytes: number): number {
    if (bytes > this.scratchBytes) {
      const heap = this.heap;
      if (this.scratchBytes > 0) heap.free(this.scratchPtr);
      this.scratchPtr = heap.alloc(bytes);
      this.scratchBytes = bytes;
    }
    return this.scratchPtr;
  }
}

const reduceExports = { sum: 'reduceSum', mean: 'reduceMean', max: 'reduceMax' } as const satisfies Record<ReduceOpName, keyof WasmExports>;
