import { convFlops, convOutput, type ConvCase, type GemmCase, type Impl } from '../cases';
import { seededRandom as random } from '@backprop/autograd';
import { b64, type External } from '../external';
import { runCase, type Result } from './run';

/** The convolution layers of the conv cases (stride 1, square). */
const convLayers = [
  { label: 'LeNet conv1', images: 64, channels: 1, size: 28, outChannels: 6, kernel: 5, padding: 2 },
  { label: 'LeNet conv2', images: 64, channels: 6, size: 14, outChannels: 16, kernel: 5, padding: 0 },
  { label: '3x3 64-channel', images: 8, channels: 64, size: 32, outChannels: 64, kernel: 3, padding: 1 },
] as const;

/**
 * Square products, the MNIST MLP's forward products and the transposed products of its backward pass, a batched
 * matmul, and the 3x3 64-channel convolution's products as plain GEMMs.
 */
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
  // The 3x3 64-channel convolution's products as plain GEMMs of im2col's shapes, the same multiply-adds: the
  // yardstick its conv rows are read against (dx at stride 1 is a convolution of the same shape as the forward).
  const { images, channels, size, outChannels, kernel } = convLayers[2];
  const rows = images * size * size, taps = channels * kernel * kernel;
  const layer: GemmCase[] = [
    { name: `gemm ${rows}x${taps}x${outChannels} (the 3x3 64-channel forward and dx as one product)`, M: rows, N: outChannels, K: taps, transA: false, transB: true },
    { name: `gemm ${outChannels}x${rows}x${taps} (the 3x3 64-channel dw as one product)`, M: outChannels, N: taps, K: rows, transA: true, transB: false },
  ];
  return [...square, ...(quick ? mlp.slice(0, 3) : mlp), ...batched, ...(quick ? [] : layer)];
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
          spec: () => ({ M: c.M, N: c.N, K: c.K, transA: c.transA, transB: c.transB, batch: c.batch, a: b64(a), b: b64(b) }),
        },
        impls,
        quick,
        externals,
      )),
    );
  }
  return [...results, ...(await convSuite(impls, quick, externals))];
}

/**
 * The products of convolution layers: LeNet's two (batch 64) and a 3x3, 64-channel layer on 32 x 32 (batch 8),
 * each forward and both gradients.
 */
export function convCases(quick: boolean): ConvCase[] {
  const cases = convLayers.flatMap(({ label, ...l }) => (['forward', 'dx', 'dw'] as const).map((direction): ConvCase => ({
    name: `conv ${l.images}x${l.channels}x${l.size}x${l.size} * ${l.outChannels}x${l.channels}x${l.kernel}x${l.kernel} pad ${l.padding} ${direction} (${label})`,
    ...l,
    direction,
  })));
  return quick ? cases.slice(3, 6) : cases;
}

async function convSuite(impls: Impl[], quick: boolean, externals: External[] = []): Promise<Result[]> {
  const results: Result[] = [];
  for (const c of convCases(quick)) {
    const next = random(c.images * 7919 + c.channels * 31 + c.size + c.outChannels);
    const values = (n: number): Float32Array => Float32Array.from({ length: n }, () => next() - 0.5);
    const out = convOutput(c);
    const inputs = { x: values(c.images * c.channels * c.size ** 2), w: values(c.outChannels * c.channels * c.kernel ** 2), dy: values(c.images * c.outChannels * out ** 2) };
    results.push(
      ...(await runCase(
        {
          suite: 'gemm',
          name: c.name,
          prepare: (impl) => impl.conv?.(c, inputs),
          rates: (ms) => ({ gflops: convFlops(c) / ms / 1e6 }),
          spec: () => ({ conv: c, x: b64(inputs.x), w: b64(inputs.w), dy: b64(inputs.dy) }),
        },
        impls,
        quick,
        externals,
      )),
    );
  }
  return results;
}
