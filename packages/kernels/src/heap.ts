import { KernelOutOfMemoryError } from './errors';

const PAGE = 65536;
const ALIGN = 64; // a cache line: every allocation starts on one, so v128 loads never split lines
const MAX_PAGES = 65536; // 4 GiB, the wasm32 limit
const LARGE = 1 << 20;

/** The size class an allocation of `bytes` is rounded to: powers of two up to 1 MiB, then whole pages. */
export function sizeClass(bytes: number): number {
  if (bytes <= ALIGN) return ALIGN;
  if (bytes <= LARGE) return 1 << (32 - Math.clz32(bytes - 1)); // the next power of two, without floating point
  return Math.ceil(bytes / PAGE) * PAGE;
}

export interface HeapStats {
  /** Bytes in live allocations (size-class rounded). */
  liveBytes: number;
  /** The largest liveBytes has been. */
  highWaterBytes: number;
  /** Allocations not yet freed. */
  liveAllocations: number;
  /** Size of the WebAssembly memory. */
  wasmBytes: number;
}

/**
 * What the heap needs of a WebAssembly.Memory. Declared here, not taken from the DOM library's WebAssembly
 * namespace, so the published types compile under a Node-only configuration (lib es2022, types node).
 */
export interface GrowableMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** The code of a live block of a large class (its size is in `largeSizes`); small classes are 1..15. */
const LARGE_CODE = 255;

/**
 * The allocator over the one WebAssembly.Memory. Freed blocks go to a free list per size class and are
 * reused first; only then does the bump pointer advance and, if needed, memory grow. Views of the memory
 * are rebuilt after growth (growth detaches every ArrayBuffer view), so `f32()`/`i32()` are always valid.
 * What each 64-byte block holds is one byte of `codes` (0: not the start of a live block), so alloc and free
 * are a few array operations, however many blocks are live.
 */
export class Heap {
  readonly memory: GrowableMemory;
  private top: number;
  private codes = new Uint8Array(1024);
  /** Free blocks of the power-of-two classes, by code (log2(size) - 5). */
  private readonly smallFree: number[][] = Array.from({ length: 16 }, () => []);
  private readonly largeFree = new Map<number, number[]>();
  private readonly largeSizes = new Map<number, number>();
  private allocations = 0;
  private live = 0;
  private highWater = 0;
  private buffer: ArrayBuffer;
  private f32View: Float32Array;
  private i32View: Int32Array;
  private u8View: Uint8Array;

  constructor(memory: GrowableMemory, heapBase: number) {
    this.memory = memory;
    this.top = Math.ceil(heapBase / ALIGN) * ALIGN;
    this.buffer = memory.buffer;
    this.f32View = new Float32Array(this.buffer);
    this.i32View = new Int32Array(this.buffer);
    this.u8View = new Uint8Array(this.buffer);
  }

  /** Allocates `bytes` (64-byte aligned, contents undefined). Throws KernelOutOfMemoryError past 4 GiB. */
  alloc(bytes: number): number {
    if (!Number.isInteger(bytes) || bytes < 0) throw new RangeError(`alloc: byte count must be a non-negative integer, got ${bytes}`);
    const size = sizeClass(bytes);
    let ptr: number;
    if (size <= LARGE) {
      const code = 26 - Math.clz32(size); // log2(size) - 5: 1 for 64 bytes ... 15 for 1 MiB
      ptr = this.smallFree[code]!.pop() ?? this.bump(size, bytes);
      this.codes[ptr >>> 6] = code;
    } else {
      ptr = this.largeFree.get(size)?.pop() ?? this.bump(size, bytes);
      this.codes[ptr >>> 6] = LARGE_CODE;
      this.largeSizes.set(ptr, size);
    }
    this.allocations++;
    this.live += size;
    if (this.live > this.highWater) this.highWater = this.live;
    return ptr;
  }

  /** Returns a block to its free list. Freeing twice or freeing a foreign pointer throws. */
  free(ptr: number): void {
    const code = ptr % ALIGN === 0 ? (this.codes[ptr >>> 6] ?? 0) : 0;
    if (code === 0) throw new Error(`free: ${ptr} is not a live allocation (double free?)`);
    this.codes[ptr >>> 6] = 0;
    this.allocations--;
    if (code === LARGE_CODE) {
      const size = this.largeSizes.get(ptr)!;
      this.largeSizes.delete(ptr);
      this.live -= size;
      let list = this.largeFree.get(size);
      if (!list) this.largeFree.set(size, (list = []));
      list.push(ptr);
    } else {
      this.live -= 1 << (code + 5);
      this.smallFree[code]!.push(ptr);
    }
  }

  /** Float32 view of the whole memory, valid until the next allocation (which may grow memory). */
  f32(): Float32Array {
    if (this.memory.buffer !== this.buffer) this.refresh();
    return this.f32View;
  }

  i32(): Int32Array {
    if (this.memory.buffer !== this.buffer) this.refresh();
    return this.i32View;
  }

  u8(): Uint8Array {
    if (this.memory.buffer !== this.buffer) this.refresh();
    return this.u8View;
  }

  /**
   * The `length` float32 values at byte address `ptr`, as a view valid until the next allocation. Addresses
   * are unsigned: the whole 4 GiB heap is addressable (a signed `ptr >> 2` would wrap past 2 GiB).
   */
  floats(ptr: number, length: number): Float32Array {
    const at = ptr >>> 2;
    return this.f32().subarray(at, at + length);
  }

  /** The `length` int32 values at byte address `ptr` (a view, as floats()). */
  ints(ptr: number, length: number): Int32Array {
    const at = ptr >>> 2;
    return this.i32().subarray(at, at + length);
  }

  stats(): HeapStats {
    return {
      liveBytes: this.live,
      highWaterBytes: this.highWater,
      liveAllocations: this.allocations,
      wasmBytes: this.memory.buffer.byteLength,
    };
  }

  /** Starts a new high-water measurement from the current live bytes. */
  resetHighWater(): void {
    this.highWater = this.live;
  }

  /** Takes `size` (the class) from the top; `requested` is only for the error message. */
  private bump(size: number, requested: number): number {
    const ptr = this.top;
    const end = ptr + size;
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      const pages = Math.ceil((end - have) / PAGE);
      // Grow geometrically so a growing workload does not grow (and rebuild views) on every allocation.
      const current = have / PAGE;
      const want = Math.min(MAX_PAGES - current, Math.max(pages, current >> 1));
      if (pages > MAX_PAGES - current) {
        throw new KernelOutOfMemoryError(`cannot allocate ${requested} bytes: the WebAssembly heap would exceed 4 GiB (${have} bytes in use)`);
      }
      try {
        this.memory.grow(want);
      } catch {
        try {
          this.memory.grow(pages);
        } catch (error) {
          throw new KernelOutOfMemoryError(
            `cannot allocate ${requested} bytes: the runtime refused to grow WebAssembly memory from ${have} bytes (${String(error)})`,
          );
        }
      }
      this.refresh();
    }
    this.top = end;
    if (end / ALIGN >= this.codes.length) {
      const grown = new Uint8Array(Math.max(this.codes.length * 2, end / ALIGN + 1));
      grown.set(this.codes);
      this.codes = grown;
    }
    return ptr;
  }

  private refresh(): void {
    this.buffer = this.memory.buffer;
    this.f32View = new Float32Array(this.buffer);
    this.i32View = new Int32Array(this.buffer);
    this.u8View = new Uint8Array(this.buffer);
  }
}
