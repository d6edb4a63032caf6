// Kernel memory as a cache of tensor data. A synchronous loop is one JavaScript job, and inside one job
// nothing tells us which tensors became unreachable (FinalizationRegistry callbacks wait for the job to end).
// So kernel memory never decides lifetimes: when it holds more than a budget, the data not used recently is
// copied out to a JavaScript array owned by its storage (spilled) and its block is reused. The garbage
// collector reclaims that array with the tensor, mid-job; a tensor still in use is copied back when an op
// needs it. Nothing the user can reach is ever released, and a loop that creates tensors and forgets them
// stays in bounded kernel memory.
//
// The policy is CLOCK (second chance) over the resident storages, oldest first, with a budget of the largest
// working set a full turn of the clock hand has seen, plus a quarter of it (at least FLOOR_BYTES) for new data.
// Data needed again before a budget's worth of new data came in after it was spilled is working set that the
// room for new data was too small for: the budget grows by it (by 16 KiB at least) at once, so no loop spills and
// restores its working set pass after pass.
import { KernelOutOfMemoryError, type Kernels } from '@backprop/kernels';
import type { Storage } from '../backend';

/** The least room kept for new data: below this much resident data nothing is spilled. */
export const FLOOR_BYTES = 256 * 1024;

/** The least the budget grows by when data is needed again soon after it was spilled. */
const GROWTH_BYTES = 16 * 1024;

/** A storage of the wasm backend: resident at `ptr`, or spilled to `spilled`. */
export interface CachedStorage extends Storage {
  /** Byte address of the data in the kernel heap; -1 while spilled (or after free). */
  ptr: number;
  /** The heap block's size (its size class). */
  readonly bytes: number;
  spilled: Float32Array | Int32Array | null;
  /** Set when an op uses it; the clock hand clears it, and evicts storages it finds cleared. */
  used: boolean;
  /** The op that last used or made it: the running op's storages are never spilled (see startOp). */
  op: number;
  /** Whether it survived the hand before, or came back after a spill: only such storages count in the working set. */
  survived: boolean;
  /** How many bytes had been admitted when it was last spilled. */
  spilledAt: number;
  older: CachedStorage | null;
  newer: CachedStorage | null;
}

export interface ResidencyStats {
  /** Storages whose data is in kernel memory. */
  residentTensors: number;
  residentBytes: number;
  /** The resident bytes above which data not used recently is spilled. */
  budgetBytes: number;
  /** How many times data was spilled out of kernel memory, and copied back in. */
  evictions: number;
  restores: number;
}

export class Residency {
  private oldest: CachedStorage | null = null;
  private newest: CachedStorage | null = null;
  private residentBytes = 0;
  private residentTensors = 0;
  private budget = FLOOR_BYTES;
  private survivorBytes = 0;
  private leftInTurn = 0;
  /** Bytes admitted so far: the clock that measures how soon spilled data is needed again. */
  private admittedBytes = 0;
  private evictions = 0;
  private restores = 0;
  /** Counts the ops started: the running op is the one numbered `op`. */
  private op = 0;

  constructor(private readonly kernels: Kernels) {}

  /**
   * Gives a new storage a block, spilling cold data first if over budget (and everything, if the heap is full).
   * Only call where no kernel address is held: ops allocate before they compute addresses.
   */
  admit(s: CachedStorage): void {
    this.evictCold();
    let ptr: number;
    try {
      ptr = this.kernels.heap.alloc(s.length * 4);
    } catch (error) {
      // A full heap may fit it once everything is spilled (not a request past the 4 GiB of wasm32 itself).
      if (!(error instanceof KernelOutOfMemoryError) || this.residentTensors === 0 || s.bytes >= 2 ** 32) throw error;
      while (this.oldest) this.spill(this.oldest);
      ptr = this.kernels.heap.alloc(s.length * 4);
    }
    s.ptr = ptr;
    s.op = this.op;
    this.admittedBytes += s.bytes;
    this.link(s);
  }

  /** Frees a storage's data, in kernel memory or spilled. */
  drop(s: CachedStorage): void {
    if (s.ptr >= 0) {
      this.unlink(s);
      this.kernels.heap.free(s.ptr);
      s.ptr = -1;
    }
    s.spilled = null;
  }

  /**
   * An op starts: until the next one does, what it uses (its inputs, what it allocated, what it takes the
   * address of) stays in kernel memory. An op that allocates twice (an output and its indices, scratch and an
   * output) would otherwise spill its own input to make room, and copy it straight back in.
   */
  startOp(): void {
    this.op++;
  }

  touch(s: CachedStorage): void {
    s.used = true;
    s.op = this.op;
  }

  /**
   * The byte address of a storage's data, copied back in first if it was spilled. Never spills anything, so
   * addresses taken one after another for one kernel call all stay valid.
   */
  address(s: CachedStorage): number {
    if (s.ptr < 0) this.restore(s);
    this.touch(s);
    return s.ptr;
  }

  stats(): ResidencyStats {
    return {
      residentTensors: this.residentTensors,
      residentBytes: this.residentBytes,
      budgetBytes: this.budget,
      evictions: this.evictions,
      restores: this.restores,
    };
  }

  private restore(s: CachedStorage): void {
    const data = s.spilled;
    if (data === null) throw new Error('internal error: a freed tensor storage was used');
    const ptr = this.kernels.heap.alloc(s.length * 4); // on failure the data stays spilled, intact
    (data instanceof Int32Array ? this.kernels.heap.ints(ptr, s.length) : this.kernels.heap.floats(ptr, s.length)).set(data);
    s.ptr = ptr;
    s.spilled = null;
    s.survived = true;
    this.link(s);
    this.restores++;
    // Needed again after being spilled: working set the budget was too small for. Needed again before a
    // budget's worth of new data came in, it was spilled only because a pass's new data outgrew the room left
    // for it (the hand then clears and spills what the pass uses late): the budget grows by it at once, or a
    // loop would spill and restore it on every pass. Data needed after longer was simply cold: no growth.
    // It grows by at least GROWTH_BYTES: by 64 bytes a time, a loop that spilled a gradient of four floats copied
    // it back on every other pass for thousands of passes before the budget had grown enough.
    this.survivorBytes += s.bytes;
    if (this.admittedBytes - s.spilledAt <= this.budget) this.budget += Math.max(s.bytes, GROWTH_BYTES);
  }

  private spill(s: CachedStorage): void {
    const heap = this.kernels.heap;
    s.spilled = s.dtype === 'int32' ? copyOut(heap.i32(), s.ptr, new Int32Array(s.length)) : copyOut(heap.f32(), s.ptr, new Float32Array(s.length));
    this.unlink(s);
    heap.free(s.ptr);
    s.ptr = -1;
    s.spilledAt = this.admittedBytes;
    this.evictions++;
  }

  /** While over budget: the clock hand gives used storages a second chance and spills the others. */
  private evictCold(): void {
    for (let inspect = this.residentTensors; inspect > 0 && this.residentBytes > this.budget; inspect--) {
      const s = this.oldest!;
      if (s.op === this.op) {
        // The running op's: passed over, its second chance kept for the turns after the op.
        this.unlink(s);
        this.link(s);
      } else if (s.used) {
        // Data used once after it was made (an op's output read by the next op) survives this pass but is not
        // working set yet: counting it would grow the budget with every turn.
        s.used = false;
        if (s.survived) this.survivorBytes += s.bytes;
        s.survived = true;
        this.unlink(s);
        this.link(s);
      } else this.spill(s);
      if (--this.leftInTurn <= 0) this.endTurn();
    }
  }

  /**
   * A full turn of the hand: what survived it for the second time or more, and what had to be copied back in,
   * is the working set; the budget leaves room for a quarter as much again (more room would only hold more
   * garbage: every tensor that dies unseen is spilled once, whatever the room). It never shrinks: a step's
   * short-lived data is not counted as surviving, and a lower budget would spill it before it is used again
   * (and the heap it has grown to stays anyway).
   */
  private endTurn(): void {
    this.budget = Math.max(this.budget, this.survivorBytes + Math.max(FLOOR_BYTES, this.survivorBytes / 4));
    this.survivorBytes = 0;
    this.leftInTurn = this.residentTensors;
  }

  private link(s: CachedStorage): void {
    s.older = this.newest;
    s.newer = null;
    if (this.newest) this.newest.newer = s;
    else this.oldest = s;
    this.newest = s;
    this.residentBytes += s.bytes;
    this.residentTensors++;
  }

  private unlink(s: CachedStorage): void {
    if (s.older) s.older.newer = s.newer;
    else this.oldest = s.newer;
    if (s.newer) s.newer.older = s.older;
    else this.newest = s.older;
    s.older = s.newer = null;
    this.residentBytes -= s.bytes;
    this.residentTensors--;
  }
}

/** Copies into `out` the elements at byte address ptr of `memory` (a loop for small tensors: no view object). */
function copyOut<T extends Float32Array | Int32Array>(memory: T, ptr: number, out: T): T {
  const at = ptr >>> 2;
  if (out.length <= 64) for (let i = 0; i < out.length; i++) out[i] = memory[at + i]!;
  else out.set(memory.subarray(at, at + out.length));
  return out;
}
