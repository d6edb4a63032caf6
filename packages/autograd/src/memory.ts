import { kernels } from '@backprop/kernels';
import { kernelBackend } from './context';

export interface MemoryReport {
  /** Tensors whose data is in kernel memory now (views of one tensor count once). */
  liveTensors: number;
  /** Bytes of kernel memory in use (allocator size classes): tensor data and the kernels' scratch space. */
  liveBytes: number;
  /** The most liveBytes has been since the start (or resetHighWater()). */
  highWaterBytes: number;
  /** The size of the WebAssembly memory. */
  wasmBytes: number;
  /**
   * How much tensor data kernel memory holds before data not used recently moves out to JavaScript memory:
   * the largest working set seen plus a quarter of it (at least 256 KiB).
   */
  budgetBytes: number;
  /** How many times tensor data moved out of kernel memory, and back in when an op used it again. */
  evictions: number;
  restores: number;
}

/** What tensors hold in kernel memory right now. */
export function memory(): MemoryReport {
  const heap = kernels.heap.stats();
  const cache = kernelBackend.stats();
  return {
    liveTensors: cache.residentTensors,
    liveBytes: heap.liveBytes,
    highWaterBytes: heap.highWaterBytes,
    wasmBytes: heap.wasmBytes,
    budgetBytes: cache.budgetBytes,
    evictions: cache.evictions,
    restores: cache.restores,
  };
}

/** Starts a new high-water measurement from the bytes live now. */
export function resetHighWater(): void {
  kernels.heap.resetHighWater();
}
