import type { GemmCase, Impl } from '../cases';
import { seededRandom as random } from '@backprop/autograd';
import { b64, type External } from '../external';
import { runCase, type Result } from './run';

/** Square products, the MNIST MLP's forward products, and the transposed products of its backward pass. */
export function gemmCases(quick: boolean): GemmCase[] {
  const square = (quick ? [64, 256] : [64, 128, 256, 512, 1024]).map((n) => ({ name: `gemm ${n}x${n}x${n}`, M: n, N: n, K: n, transA: false, transB: false }));
  // Linear(784, 256) on a batch of 128: Y = X W^T forward; dX = dY W and dW = dY^T X backward.
  const mlp: GemmCase[] = [
    { name: 'gemm 128x784x256 (X.W^T, Linear 784->256 forward)', M: 128, N: 256, K: 784, transA: false, transB: true },
    { name: 'gemm 128x256x784 (dY.W, Linear 784->256 dX)', M: 128, N: 784, K: 256, transA: false, transB: false },
    { name: 'gemm 256x128x784 (dY^T.X, Linear 784->256 dW)', M: 256, N: 784, K: 128, transA: true, transB: false },
    { name: 'gemm 128x256x128 (X.W^T, Linear 256->128 forward)', M: 128, N: 128, K: 256, transA: false, transB: true },
    { name: 'gemm 128x128x256 (dY.W, Linear 256->128 dX)', M: 128, N: 256, K: 128, transA: false, transB: false },
    { name: 'gemm 128x128x256 (dY^T.X, Linear 256->128 dW)', M: 128, N: 256, K: 128, transA: true, transB: false },
  ];
  // A batched matmul, and the same work (the same multiply-adds, the same output size) as one product.
  const batched: GemmCase[] = [
    { name: 'gemm 32x[64x64x64] (batched matmul)', M: 64, N: 64, K: 64, transA: false, transB: false, batch: 32 },
    { name: 'gemm 2048x64x64 (the batched work as one product)', M: 2048, N: 64, K: 64, transA: false, transB: false },
  ];
  return [...square, ...(quick ? mlp.slice(0, 3) : mlp), ...batched];
}

export async function gemmSuite(impls: Impl[], quick: boolean, externals: External[] = []): Promise<Result[]> {
  const results: Result[] = [];
  for (const c of gemmCases(quick)) {
    const next = random(c.M * 7919 + c.N * 31 + c.K);
    const batch = c.batch ?? 1;
    const a = Float32Array.from({ length: batch * c.M * c.K }, () => next() - 0.5);
    const b = Float32Array.from({ length: batch * c.K * c.N }, () => next() - 0.5);
    results.push(
      ...(await runCase(
        {
          suite: 'gemm',
          name: c.name,
          prepare: (impl) => impl.gemm?.(c, a, b),
          rates: (ms) => ({ gflops: (2 * batch * c.M * c.N * c.K) / ms / 1e6 }),
          spec: () => ({ M: c.M, N: c.N, K: c.K, transA: c.transA, transB: c.transB, batch, a: b64(a), b: b64(b) }),
        },
        impls,
        quick,
        externals,
      )),
    );
  }
  return results;
}
