// What a user does with the installed packages, shared by the ESM and CJS entry points.
// Throws (so the process fails) when a result is wrong.
async function usage({ kernels: kernelsPkg }) {
  const { kernels, ready, simdLevel } = kernelsPkg;
  await ready();
  const level = simdLevel();
  if (level !== 'simd' && level !== 'relaxed-simd') throw new Error(`simdLevel() returned ${level}`);
  // [[1, 2], [3, 4]] squared through the GEMM kernel.
  const heap = kernels.heap;
  const a = heap.alloc(16);
  const c = heap.alloc(16);
  heap.f32().set([1, 2, 3, 4], a >> 2);
  kernels.gemm(false, false, 2, 2, 2, 1, a, 2, a, 2, 0, c, 2);
  const got = Array.from(heap.f32().subarray(c >> 2, (c >> 2) + 4));
  if (got.join() !== '7,10,15,22') throw new Error(`gemm gave ${got}`);
  heap.free(a);
  heap.free(c);
  console.log(`kernels (${level}): gemm ok`);
}

module.exports = { usage };
if (require.main === module) {
  usage({ kernels: require('@backprop/kernels') }).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
