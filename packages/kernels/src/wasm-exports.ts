// The raw exports of the WASM module. Pointers are byte offsets into the heap; sizes count elements.
// Booleans travel as 0/1. Each group mirrors one file of assembly/.
import type { BinaryOpName } from './reference/binary';
import type { UnaryOpName } from './reference/unary';

/** out[r, c] = a[r*aRow + c*aCol] op b[r*bRow + c*bCol], out contiguous [rows, cols]; strides in elements, >= 0. */
export type BinaryOp = (rows: number, cols: number, a: number, aRow: number, aCol: number, b: number, bRow: number, bCol: number, out: number) => void;
/** y = op(x; p) over n elements. */
export type UnaryForward = (n: number, x: number, y: number, p: number) => void;
/** dx = dy * op'(x; p), reading x or y (y = op(x)) as the op needs. */
export type UnaryBackward = (n: number, x: number, y: number, dy: number, dx: number, p: number) => void;

/** out[o, j] = the reduction over k of x[o, k, j], x viewed as [outer, len, inner]. */
export type Reduce = (outer: number, len: number, inner: number, x: number, out: number) => void;

export type WasmExports = CoreExports &
  Record<BinaryOpName, BinaryOp> &
  Record<UnaryOpName, UnaryForward> &
  Record<`${UnaryOpName}Backward`, UnaryBackward>;

interface CoreExports {
  heapBase: () => number;
  // gemm.ts
  packedBSize: (K: number, N: number) => number;
  packB: (transB: number, K: number, N: number, b: number, ldb: number, packed: number) => void;
  gemmPacked: (
    transA: number, M: number, N: number, K: number, alpha: number,
    a: number, lda: number, packed: number, beta: number, c: number, ldc: number,
  ) => void;
  /** count products C_i = alpha op(A_i) op(B_i) + beta C_i, each B_i packed into `packed` (strideB 0: packed already). */
  gemmBatched: (
    count: number, transA: number, transB: number, M: number, N: number, K: number, alpha: number, a: number, lda: number, strideA: number,
    b: number, ldb: number, strideB: number, beta: number, c: number, ldc: number, strideC: number, packed: number,
  ) => void;
  /** C = alpha A packedB + beta C with A[i][k] = base[rowOffsets[i] + colOffsets[k]] (int32 tables of element offsets). */
  gemmIndirect: (
    M: number, N: number, K: number, alpha: number, base: number, rowOffsets: number, colOffsets: number,
    packed: number, beta: number, c: number, ldc: number,
  ) => void;
  // transpose.ts: y[n, j, i] = x[n, i, j] for count matrices x [count, rows, cols], 32-bit elements
  transpose: (count: number, rows: number, cols: number, x: number, y: number) => void;
  // im2col.ts: windows of x [images, channels, height, width] as columns [images, channels kh kw, outH outW], and back
  im2col: (
    images: number, channels: number, height: number, width: number, kh: number, kw: number, sh: number, sw: number,
    ph: number, pw: number, dh: number, dw: number, x: number, cols: number,
  ) => void;
  col2im: (
    images: number, channels: number, height: number, width: number, kh: number, kw: number, sh: number, sw: number,
    ph: number, pw: number, dh: number, dw: number, cols: number, dx: number, scratch: number,
  ) => void;
  col2imScratchFloats: (height: number, width: number, kh: number, kw: number, ph: number, pw: number, dh: number, dw: number) => number;
  // pool.ts: max pooling of planes [height, width]; indices (int32) say where in its plane each maximum came from
  maxPool2d: (
    planes: number, height: number, width: number, kh: number, kw: number, sh: number, sw: number,
    ph: number, pw: number, dh: number, dw: number, x: number, y: number, indices: number,
  ) => void;
  maxPool2dBackward: (planes: number, inputPlane: number, outputPlane: number, indices: number, dy: number, dx: number) => void;
  // depthwise.ts: one kernel per channel over padded images [images, channels, hp, wp], channels [c0, c1) only
  depthwiseConv2d: (
    images: number, channels: number, c0: number, c1: number, hp: number, wp: number, outH: number, outW: number, kh: number, kw: number,
    sh: number, sw: number, dh: number, dw: number, x: number, w: number, y: number,
  ) => void;
  depthwiseConv2dWeightGrad: (
    images: number, channels: number, c0: number, c1: number, hp: number, wp: number, outH: number, outW: number, kh: number, kw: number,
    sh: number, sw: number, dh: number, dw: number, x: number, dy: number, dweight: number,
  ) => void;
  // conv-direct.ts: a stride-1 convolution over padded images [images, channels, hp, wp], bias 0 for none; scratch:
  // 4 channels kh kw floats
  conv2dDirect: (
    images: number, channels: number, hp: number, wp: number, outH: number, outW: number, outChannels: number, kh: number, kw: number,
    dh: number, dw: number, x: number, w: number, bias: number, y: number, scratch: number,
  ) => void;
  /** Its weight gradient, tiles [t0, t1) of ceil(outChannels / 2) x ceil(channels kh kw / 4). */
  conv2dDirectWeightGrad: (
    images: number, channels: number, hp: number, wp: number, outH: number, outW: number, outChannels: number, kh: number, kw: number,
    dh: number, dw: number, t0: number, t1: number, x: number, dy: number, dweight: number,
  ) => void;
  // copy.ts
  copy: (dst: number, src: number, bytes: number) => void;
  /** dst[r * dstRow + c * dstCol] = src[r * srcRow + c * srcCol], 32-bit elements, strides in elements. */
  copyStrided: (rows: number, cols: number, src: number, srcRow: number, srcCol: number, dst: number, dstRow: number, dstCol: number) => void;
  gemmSmallM: (
    transB: number, M: number, N: number, K: number, alpha: number, a: number, lda: number, b: number, ldb: number,
    beta: number, c: number, ldc: number,
  ) => void;
  // binary.ts (and one export per op: see BinaryOp below)
  axpby: (n: number, alpha: number, a: number, beta: number, b: number, out: number) => void;
  fill: (n: number, value: number, out: number) => void;
  // prelu.ts
  prelu: (outer: number, channels: number, inner: number, x: number, alpha: number, y: number) => void;
  preluBackward: (
    outer: number, channels: number, inner: number, x: number, alpha: number, dy: number, dx: number, dalpha: number,
  ) => void;
  // batch-norm.ts: x viewed as [images, channels, inner], channels [c0, c1); per-channel arrays indexed by channel
  batchNormStats: (images: number, channels: number, inner: number, c0: number, c1: number, x: number, mean: number, variance: number) => void;
  batchNormBackwardStats: (
    images: number, channels: number, inner: number, c0: number, c1: number, x: number, dy: number, mean: number, sumDy: number, dot: number,
  ) => void;
  channelAffine: (images: number, channels: number, inner: number, c0: number, c1: number, x: number, scale: number, shift: number, y: number) => void;
  batchNormBackwardInput: (
    images: number, channels: number, inner: number, c0: number, c1: number, training: number,
    x: number, dy: number, mean: number, meanDy: number, k: number, invstd: number, w: number, dx: number,
  ) => void;
  // reduce.ts: x viewed as [outer, len, inner], reduced over len
  reduceSum: Reduce;
  reduceMean: Reduce;
  reduceMax: Reduce;
  argmax: (outer: number, len: number, inner: number, x: number, out: number) => void;
  /** The first i with x[i] outside [lo, hi] (NaN counts as outside), or -1. */
  firstOutside: (n: number, x: number, lo: number, hi: number) => number;
  softmax: (outer: number, len: number, inner: number, log: number, x: number, y: number) => void;
  softmaxBackward: (outer: number, len: number, inner: number, log: number, y: number, dy: number, dx: number) => void;
  // losses.ts: elementwise losses; backward takes dy with a step (0: one value) and a scale
  bce: (n: number, p: number, t: number, out: number) => void;
  bceBackward: (n: number, p: number, t: number, dy: number, dyStep: number, scale: number, dx: number) => void;
  bceWithLogits: (n: number, x: number, t: number, out: number) => void;
  bceWithLogitsBackward: (n: number, x: number, t: number, dy: number, dyStep: number, scale: number, dx: number) => void;
  mse: (n: number, x: number, t: number, out: number) => void;
  mseBackward: (n: number, x: number, t: number, dy: number, dyStep: number, scale: number, dx: number) => void;
  /** Returns -1, or the first row whose label is out of [0, c). */
  crossEntropy: (n: number, c: number, x: number, labels: number, ignoreIndex: number, out: number) => number;
  crossEntropyBackward: (
    n: number, c: number, x: number, labels: number, ignoreIndex: number, dy: number, dyStep: number, scale: number, dx: number,
  ) => void;
  // optim.ts
  sgd: (
    n: number, p: number, g: number, buf: number, lr: number, momentum: number, dampening: number,
    weightDecay: number, nesterov: number, maximize: number, first: number,
  ) => void;
  adagrad: (n: number, p: number, g: number, sum: number, clr: number, eps: number, weightDecay: number, maximize: number) => void;
  adadelta: (
    n: number, p: number, g: number, sq: number, acc: number, lr: number, rho: number, eps: number, weightDecay: number, maximize: number,
  ) => void;
  rmsprop: (
    n: number, p: number, g: number, sq: number, gavg: number, buf: number, lr: number, alpha: number, eps: number,
    weightDecay: number, momentum: number, centered: number, maximize: number,
  ) => void;
  adam: (
    n: number, p: number, g: number, m: number, v: number, vmax: number, beta1: number, beta2: number, stepSize: number,
    bc2Sqrt: number, eps: number, weightDecay: number, decay: number, amsgrad: number, maximize: number,
  ) => void;
  adamax: (
    n: number, p: number, g: number, m: number, u: number, beta1: number, beta2: number, eps: number, clr: number,
    weightDecay: number, maximize: number,
  ) => void;
  nadam: (
    n: number, p: number, g: number, m: number, v: number, beta1: number, beta2: number, bc2: number, eps: number,
    weightDecay: number, gradCoef: number, avgCoef: number,
  ) => void;
  // random.ts: seed and offset are 64-bit, passed as (lo, hi) 32-bit halves
  randomUniform: (n: number, seedLo: number, seedHi: number, offsetLo: number, offsetHi: number, lo: number, hi: number, out: number) => void;
  randomNormal: (n: number, seedLo: number, seedHi: number, offsetLo: number, offsetHi: number, mean: number, std: number, out: number) => void;
  philoxBlock: (c0: number, c1: number, c2: number, c3: number, k0: number, k1: number, out: number) => void;
}
