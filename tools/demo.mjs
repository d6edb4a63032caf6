// `pnpm demo`: what backprop can do so far, on the built packages. Exits non-zero if a result is wrong.
// Today: the kernels' GEMM against a plain JavaScript loop on the same inputs. It grows into training the
// zoo models (logistic regression failing on XOR, the XOR MLP, the deep MLP) as those packages land.
import { kernels, simdLevel } from '@backprop/kernels';

function plainGemm(a, b, c, n) {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += a[i * n + k] * b[k * n + j];
      c[i * n + j] = sum;
    }
  }
}

function timeIt(fn, minMs = 300) {
  for (let i = 0; i < 10; i++) fn(); // warm-up: WASM has no on-stack replacement
  const start = performance.now();
  let reps = 0;
  while (performance.now() - start < minMs) {
    fn();
    reps++;
  }
  return (performance.now() - start) / reps;
}

console.log(`backprop kernels: ${simdLevel()} build\n`);
console.log('| n | backprop GFLOP/s | plain JS GFLOP/s | speed-up | max |difference| |');
console.log('| --- | --- | --- | --- | --- |');
let ok = true;
for (const n of [64, 128, 256, 512]) {
  const heap = kernels.heap;
  const [pa, pb, pc] = [heap.alloc(n * n * 4), heap.alloc(n * n * 4), heap.alloc(n * n * 4)];
  const a = Float32Array.from({ length: n * n }, () => Math.random() - 0.5);
  const b = Float32Array.from({ length: n * n }, () => Math.random() - 0.5);
  heap.f32().set(a, pa >> 2);
  heap.f32().set(b, pb >> 2);
  const wasmMs = timeIt(() => kernels.gemm(false, false, n, n, n, 1, pa, n, pb, n, 0, pc, n));
  const want = new Float32Array(n * n);
  const jsMs = timeIt(() => plainGemm(a, b, want, n), n > 256 ? 1 : 300);
  const got = heap.f32().subarray(pc >> 2, (pc >> 2) + n * n);
  let diff = 0;
  for (let i = 0; i < n * n; i++) diff = Math.max(diff, Math.abs(got[i] - want[i]));
  if (!(diff < 1e-3)) ok = false;
  const gflops = (ms) => ((2 * n ** 3) / ms / 1e6).toFixed(1);
  console.log(`| ${n} | ${gflops(wasmMs)} | ${gflops(jsMs)} | ${(jsMs / wasmMs).toFixed(0)}x | ${diff.toExponential(1)} |`);
  for (const p of [pa, pb, pc]) heap.free(p);
}
if (!ok) {
  console.error('\nthe kernels disagree with plain JavaScript');
  process.exit(1);
}
