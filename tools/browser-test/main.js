// What a browser user writes: no path configuration, only `await ready()` (the main thread compiles WASM asynchronously).
import { kernels, ready, simdLevel } from '@backprop/kernels';

async function main() {
  await ready();
  const heap = kernels.heap;
  const a = heap.alloc(16);
  const c = heap.alloc(16);
  heap.f32().set([1, 2, 3, 4], a >> 2);
  kernels.gemm(false, false, 2, 2, 2, 1, a, 2, a, 2, 0, c, 2);
  const values = Array.from(heap.f32().subarray(c >> 2, (c >> 2) + 4));
  document.body.dataset.result = JSON.stringify({ level: simdLevel(), values });
}

main().catch((error) => {
  document.body.dataset.result = JSON.stringify({ error: String(error) });
});
