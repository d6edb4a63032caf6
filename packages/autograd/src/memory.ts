import { kernels } from '@backprop/kernels';
import { liveTensorCount } from './lifetime';

export interface MemoryReport {
  /** Tensors not yet disposed or released. */
  liveTensors: number;
  /** Bytes of kernel memory in use (allocator size classes). */
  liveBytes: number;
  /** The most liveBytes has been since the start (or resetHighWater()). */
  highWaterBytes: number;
  /** The size of the WebAssembly memory. */
  wasmBytes: number;
}

/** What tensors hold in kernel memory right now. */
export function memory(): MemoryReport {
  const stats = kernels.heap.stats();
  return { liveTensors: liveTensorCount(), liveBytes: stats.liveBytes, highWaterBytes: stats.highWaterBytes, wasmBytes: stats.wasmBytes };
}

/** Starts a new high-water measurement from the bytes live now. */
export function resetHighWater(): void {
  kernels.heap.resetHighWater();
}
