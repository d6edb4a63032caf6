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
 * The allocator over the one WebAssembly.Memory. Freed blocks go to a free list per size class and are
 * reused first; only then does the bump pointer advance and, if needed, memory grow. Views of the memory
 * are rebuilt after growth (growth detaches every ArrayBuffer view), so `f32()`/`i32()` are always valid.
 */
export class Heap {
  readonly memory: WebAssembly.Memory;
  private top: number;
  private readonly freeLists = new Map<number, number[]>();
  private readonly sizes = new Map<number, number>();
  private live = 0;
  private highWater = 0;
  private buffer: ArrayBuffer;
  private f32View: Float32Array;
  private i32View: Int32Array;
  private u8View: Uint8Array;

  constructor(memory: WebAssembly.Memory, heapBase: number) {
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
    const ptr = this.freeLists.get(size)?.pop() ?? this.bump(size, bytes);
    this.sizes.set(ptr, size);
    this.live += size;
    if (this.live > this.highWater) this.highWater = this.live;
    return ptr;
  }

  /** Returns a block to its free list. Freeing twice or freeing a foreign pointer throws. */
  free(ptr: number): void {
    const size = this.sizes.get(ptr);
    if (size === undefined) throw new Error(`free: ${ptr} is not a live allocation (double free?)`);
    this.sizes.delete(ptr);
    this.live -= size;
    let list = this.freeLists.get(size);
    if (!list) this.freeLists.set(size, (list = []));
    list.push(ptr);
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
      liveAllocations: this.sizes.size,
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
    return ptr;
  }

  private refresh(): void {
    this.buffer = this.memory.buffer;
    this.f32View = new Float32Array(this.buffer);
    this.i32View = new Int32Array(this.buffer);
    this.u8View = new Uint8Array(this.buffer);
  }
}
