// Threads in a page: served cross-origin isolated (COOP/COEP), the kernels run on every core by default and split
// a GEMM with the same bits as on one thread; served without those headers, they run it on one thread and say why
// on the console, once.
import { kernels, numThreads, ready } from '@backprop/kernels';

const warnings = [];
const warn = console.warn;
console.warn = (...args) => {
  warnings.push(args.join(' '));
  warn(...args);
};

/** C = A B for A, B of random values; with threadLimit `limit`. */
function product(limit) {
  const [M, N, K] = [256, 256, 64];
  const heap = kernels.heap;
  const a = heap.alloc(M * K * 4);
  const b = heap.alloc(K * N * 4);
  const c = heap.alloc(M * N * 4);
  let s = 1;
  const random = () => ((s = (s * 16807) % 2147483647) / 2147483647) - 0.5;
  heap.f32().subarray(a >> 2, (a >> 2) + M * K).forEach((_, i, v) => (v[i] = random()));
  heap.f32().subarray(b >> 2, (b >> 2) + K * N).forEach((_, i, v) => (v[i] = random()));
  kernels.threadLimit = limit;
  kernels.gemm(false, false, M, N, K, 1, a, K, b, N, 0, c, N);
  kernels.threadLimit = Infinity;
  const out = heap.f32().slice(c >> 2, (c >> 2) + M * N);
  [a, b, c].forEach((p) => heap.free(p));
  return out;
}

async function main() {
  await ready();
  const threads = numThreads() === Math.min(8, navigator.hardwareConcurrency) && numThreads() > 1 ? 'every core' : numThreads();
  const one = product(1);
  const all = product(Infinity);
  const same = one.every((v, i) => Object.is(v, all[i])) && one.some((v) => v !== 0);
  const headerWarnings = warnings.filter((w) => w.includes('Cross-Origin-Embedder-Policy')).length;
  document.body.dataset.result = JSON.stringify({ values: [threads, same ? 1 : 0, headerWarnings], isolated: crossOriginIsolated, warnings });
}

main().catch((error) => {
  document.body.dataset.result = JSON.stringify({ error: String(error) });
});
