// GEMM: C = alpha * op(A) * op(B) + beta * C, row-major, float32.
//
// B is packed once into panels of NR = 8 columns (zero-padded), laid out [panel][k][8]; the transpose of B
// costs nothing extra because it is absorbed in the packing. The 4x8 "loadsplat" micro-kernel broadcasts one
// A value per row with v128.load32_splat (a single vbroadcastss) against two B vectors: 8 accumulators
// + 2 B vectors + 4 A broadcasts + 1 temporary = 15 XMM registers, which is all V8 leaves us (PERF.md).
// op(A) is read in place through two strides, so A^T costs nothing either.
// Work splits by columns of C (a worker given panels [p0, p1) packs and multiplies those, with B and C offset) or
// by rows (a worker given rows [m0, m1) calls gemmPacked with A and C offset by m0).
import { hsum, loadPartial, madd } from './simd';

const MR: i32 = 4;
const NR: i32 = 8;
// Rows of A per cache block: 4 rows x K floats stream from L2 while a K x 8 panel of B stays in L1.
const MC: i32 = 64;

/** Bytes packB needs for a K x N operand. */
export function packedBSize(K: i32, N: i32): i32 {
  return ((N + NR - 1) / NR) * K * NR * 4;
}

/**
 * Packs op(B) (K x N) into NR-wide panels. transB = 0: B is K x N with leading dimension ldb;
 * transB = 1: B is N x K (op(B) = B^T).
 */
export function packB(transB: i32, K: i32, N: i32, b: usize, ldb: i32, packed: usize): void {
  const panels = (N + NR - 1) / NR;
  for (let p = 0; p < panels; p++) {
    const j0 = p * NR;
    const cols = min(NR, N - j0);
    let dst = packed + <usize>(p * K * NR) * 4;
    if (transB == 0) {
      let src = b + <usize>j0 * 4;
      const srcStride = <usize>ldb * 4;
      if (cols == NR) {
        for (let k = 0; k < K; k++) {
          v128.store(dst, v128.load(src));
          v128.store(dst, v128.load(src, 16), 16);
          src += srcStride;
          dst += NR * 4;
        }
      } else {
        // The last panel, 1-7 columns: whole vectors and a 1-3 lane rest, zeros past it (never a read past the row).
        for (let k = 0; k < K; k++) {
          const lo = loadPartial(src, cols);
          const hi = cols > 4 ? loadPartial(src + 16, cols - 4) : f32x4.splat(0);
          v128.store(dst, lo);
          v128.store(dst, hi, 16);
          src += srcStride;
          dst += NR * 4;
        }
      }
    } else if (cols == NR) {
      packTransposedPanel(K, b + <usize>j0 * <usize>ldb * 4, <usize>ldb * 4, dst);
    } else {
      // B is N x K: column j of op(B) is row j0 + j of B.
      for (let j = 0; j < NR; j++) {
        let d = dst + <usize>j * 4;
        if (j < cols) {
          let src = b + <usize>(j0 + j) * <usize>ldb * 4;
          for (let k = 0; k < K; k++) {
            store<f32>(d, load<f32>(src));
            src += 4;
            d += NR * 4;
          }
        } else {
          for (let k = 0; k < K; k++) {
            store<f32>(d, 0);
            d += NR * 4;
          }
        }
      }
    }
  }
}

/**
 * One full panel from B^T: the 8 rows of B at `src` (`stride` bytes apart), K floats each, become [k][8]. Four k
 * at a time as two 4 x 4 transposes in registers (one vector load per row, one store per half-row of the panel).
 */
// @ts-ignore: decorator
@inline function packTransposedPanel(K: i32, src: usize, stride: usize, dst: usize): void {
  let k = 0;
  for (; k + 4 <= K; k += 4) {
    const at = src + <usize>k * 4;
    transposeStore(v128.load(at), v128.load(at + stride), v128.load(at + 2 * stride), v128.load(at + 3 * stride), dst);
    transposeStore(v128.load(at + 4 * stride), v128.load(at + 5 * stride), v128.load(at + 6 * stride), v128.load(at + 7 * stride), dst + 16);
    dst += 4 * NR * 4;
  }
  for (; k < K; k++) {
    for (let j = 0; j < NR; j++) store<f32>(dst + <usize>j * 4, load<f32>(src + <usize>j * stride + <usize>k * 4));
    dst += NR * 4;
  }
}

/** Rows r0..r3 (4 floats each) stored transposed: column i goes to dst + i * NR floats. */
// @ts-ignore: decorator
@inline function transposeStore(r0: v128, r1: v128, r2: v128, r3: v128, dst: usize): void {
  const lo01 = i32x4.shuffle(r0, r1, 0, 4, 1, 5);
  const lo23 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
  const hi01 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
  const hi23 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(dst, i64x2.shuffle(lo01, lo23, 0, 2));
  v128.store(dst, i64x2.shuffle(lo01, lo23, 1, 3), NR * 4);
  v128.store(dst, i64x2.shuffle(hi01, hi23, 0, 2), 2 * NR * 4);
  v128.store(dst, i64x2.shuffle(hi01, hi23, 1, 3), 3 * NR * 4);
}

/**
 * C[M x N] = alpha * op(A) * packedB + beta * C. transA = 0: A is M x K (lda); transA = 1: A is K x M.
 * beta = 0 never reads C, so C may hold garbage (or NaN) on entry, as in BLAS.
 */
export function gemmPacked(
  transA: i32, M: i32, N: i32, K: i32, alpha: f32,
  a: usize, lda: i32, packed: usize, beta: f32, c: usize, ldc: i32,
): void {
  // Byte strides of op(A): along a row (k) and between rows (i).
  const kStride: usize = transA == 0 ? 4 : <usize>lda * 4;
  const rowStride: usize = transA == 0 ? <usize>lda * 4 : 4;
  const panels = (N + NR - 1) / NR;
  const panelBytes = <usize>K * NR * 4;
  for (let i0 = 0; i0 < M; i0 += MC) {
    const i1 = min(M, i0 + MC);
    for (let p = 0; p < panels; p++) {
      const j0 = p * NR;
      const cols = min(NR, N - j0);
      const pb = packed + <usize>p * panelBytes;
      for (let i = i0; i < i1; i += MR) {
        microKernel(
          min(MR, i1 - i), cols, K, alpha,
          a + <usize>i * rowStride, rowStride, kStride,
          pb, beta, c + (<usize>i * <usize>ldc + <usize>j0) * 4, <usize>ldc * 4,
        );
      }
    }
  }
}

/**
 * `count` GEMMs C_i = alpha op(A_i) op(B_i) + beta C_i, with A_i, B_i and C_i i strideA, strideB and strideC
 * elements further, each B_i packed into `packed` first; strideB = 0: `packed` already holds the one B. A
 * thread given products [i0, i1) gets the matrices offset by i0 and a packing buffer of its own.
 */
export function gemmBatched(
  count: i32, transA: i32, transB: i32, M: i32, N: i32, K: i32, alpha: f32, a: usize, lda: i32, strideA: i32,
  b: usize, ldb: i32, strideB: i32, beta: f32, c: usize, ldc: i32, strideC: i32, packed: usize,
): void {
  for (let i = 0; i < count; i++) {
    if (strideB != 0) packB(transB, K, N, b + <usize>i * <usize>strideB * 4, ldb, packed);
    gemmPacked(transA, M, N, K, alpha, a + <usize>i * <usize>strideA * 4, lda, packed, beta, c + <usize>i * <usize>strideC * 4, ldc);
  }
}

// @ts-ignore: decorator
@inline function microKernel(
  rows: i32, cols: i32, K: i32, alpha: f32,
  a: usize, rowStride: usize, kStride: usize,
  pb: usize, beta: f32, c: usize, cStride: usize,
): void {
  // Rows past the edge alias the last valid row: computed, never stored (XNNPACK's trick).
  let a0 = a;
  let a1 = rows > 1 ? a0 + rowStride : a0;
  let a2 = rows > 2 ? a1 + rowStride : a1;
  let a3 = rows > 3 ? a2 + rowStride : a2;
  let acc00 = f32x4.splat(0), acc01 = f32x4.splat(0);
  let acc10 = f32x4.splat(0), acc11 = f32x4.splat(0);
  let acc20 = f32x4.splat(0), acc21 = f32x4.splat(0);
  let acc30 = f32x4.splat(0), acc31 = f32x4.splat(0);
  let b = pb;
  for (let k = K; k > 0; k--) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    const v0 = v128.load32_splat(a0);
    const v1 = v128.load32_splat(a1);
    const v2 = v128.load32_splat(a2);
    const v3 = v128.load32_splat(a3);
    acc00 = madd(v0, b0, acc00); acc01 = madd(v0, b1, acc01);
    acc10 = madd(v1, b0, acc10); acc11 = madd(v1, b1, acc11);
    acc20 = madd(v2, b0, acc20); acc21 = madd(v2, b1, acc21);
    acc30 = madd(v3, b0, acc30); acc31 = madd(v3, b1, acc31);
    a0 += kStride; a1 += kStride; a2 += kStride; a3 += kStride;
    b += NR * 4;
  }
  storeRow(c, acc00, acc01, cols, alpha, beta);
  if (rows > 1) storeRow(c + cStride, acc10, acc11, cols, alpha, beta);
  if (rows > 2) storeRow(c + cStride * 2, acc20, acc21, cols, alpha, beta);
  if (rows > 3) storeRow(c + cStride * 3, acc30, acc31, cols, alpha, beta);
}

/**
 * C[M x N] = alpha * A * packedB + beta * C with A read through two offset tables (an indirect GEMM, as XNNPACK's
 * igemm): A[i][k] = base[rowOffsets[i] + colOffsets[k]] (int32 tables, in elements). A convolution's windows are
 * such a matrix over its (padded) input: rows the output positions, columns (channel, kernel row, kernel column),
 * so the product reads the image in place, with no im2col copy.
 */
export function gemmIndirect(
  M: i32, N: i32, K: i32, alpha: f32, base: usize, rowOffsets: usize, colOffsets: usize, packed: usize, beta: f32, c: usize, ldc: i32,
): void {
  const panels = (N + NR - 1) / NR;
  const panelBytes = <usize>K * NR * 4;
  for (let i0 = 0; i0 < M; i0 += MC) {
    const i1 = min(M, i0 + MC);
    for (let p = 0; p < panels; p++) {
      const j0 = p * NR;
      const pb = packed + <usize>p * panelBytes;
      for (let i = i0; i < i1; i += MR) {
        microKernelIndirect(min(MR, i1 - i), min(NR, N - j0), K, alpha, base, rowOffsets + <usize>i * 4, colOffsets, pb, beta, c + (<usize>i * <usize>ldc + <usize>j0) * 4, <usize>ldc * 4);
      }
    }
  }
}

/** microKernel's 4x8 tile with the rows of A found through the offset tables. */
// @ts-ignore: decorator
@inline function microKernelIndirect(
  rows: i32, cols: i32, K: i32, alpha: f32, base: usize, rowOffsets: usize, colOffsets: usize,
  pb: usize, beta: f32, c: usize, cStride: usize,
): void {
  // Rows past the edge alias the last valid row: computed, never stored.
  const a0 = base + <usize>load<i32>(rowOffsets) * 4;
  const a1 = rows > 1 ? base + <usize>load<i32>(rowOffsets, 4) * 4 : a0;
  const a2 = rows > 2 ? base + <usize>load<i32>(rowOffsets, 8) * 4 : a1;
  const a3 = rows > 3 ? base + <usize>load<i32>(rowOffsets, 12) * 4 : a2;
  let acc00 = f32x4.splat(0), acc01 = f32x4.splat(0);
  let acc10 = f32x4.splat(0), acc11 = f32x4.splat(0);
  let acc20 = f32x4.splat(0), acc21 = f32x4.splat(0);
  let acc30 = f32x4.splat(0), acc31 = f32x4.splat(0);
  let b = pb;
  let offsets = colOffsets;
  for (let k = K; k > 0; k--) {
    const o = <usize>load<i32>(offsets) * 4;
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    const v0 = v128.load32_splat(a0 + o);
    const v1 = v128.load32_splat(a1 + o);
    const v2 = v128.load32_splat(a2 + o);
    const v3 = v128.load32_splat(a3 + o);
    acc00 = madd(v0, b0, acc00); acc01 = madd(v0, b1, acc01);
    acc10 = madd(v1, b0, acc10); acc11 = madd(v1, b1, acc11);
    acc20 = madd(v2, b0, acc20); acc21 = madd(v2, b1, acc21);
    acc30 = madd(v3, b0, acc30); acc31 = madd(v3, b1, acc31);
    offsets += 4;
    b += NR * 4;
  }
  storeRow(c, acc00, acc01, cols, alpha, beta);
  if (rows > 1) storeRow(c + cStride, acc10, acc11, cols, alpha, beta);
  if (rows > 2) storeRow(c + cStride * 2, acc20, acc21, cols, alpha, beta);
  if (rows > 3) storeRow(c + cStride * 3, acc30, acc31, cols, alpha, beta);
}

// @ts-ignore: decorator
@inline function storeRow(c: usize, lo: v128, hi: v128, cols: i32, alpha: f32, beta: f32): void {
  const va = f32x4.splat(alpha);
  lo = f32x4.mul(lo, va);
  hi = f32x4.mul(hi, va);
  if (cols == NR) {
    if (beta != 0) {
      const vb = f32x4.splat(beta);
      lo = madd(v128.load(c), vb, lo);
      hi = madd(v128.load(c, 16), vb, hi);
    }
    v128.store(c, lo);
    v128.store(c, hi, 16);
    return;
  }
  // A partial tile (N not a multiple of 8: 6 output channels, say): four lanes, then two, then one, each a
  // single store, rather than one extracted lane at a time.
  let at = c;
  let v = lo;
  let rest = cols;
  if (rest >= 4) {
    if (beta != 0) v = madd(v128.load(at), f32x4.splat(beta), v);
    v128.store(at, v);
    at += 16;
    v = hi;
    rest -= 4;
  }
  if (rest >= 2) {
    if (beta != 0) v = madd(v128.load64_zero(at), f32x4.splat(beta), v);
    v128.store64_lane(at, v, 0);
    at += 8;
    v = v128.shuffle<f32>(v, v, 2, 3, 2, 3);
    rest -= 2;
  }
  if (rest == 1) {
    if (beta != 0) v = madd(v128.load32_zero(at), f32x4.splat(beta), v);
    v128.store32_lane(at, v, 0);
  }
}

/** Sum of x[k] y[k] for k < K. */
// @ts-ignore: decorator
@inline function dot(x: usize, y: usize, K: i32): f32 {
  let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
  let k = 0;
  for (; k + 16 <= K; k += 16) {
    const o = <usize>k * 4;
    s0 = madd(v128.load(x + o), v128.load(y + o), s0);
    s1 = madd(v128.load(x + o, 16), v128.load(y + o, 16), s1);
    s2 = madd(v128.load(x + o, 32), v128.load(y + o, 32), s2);
    s3 = madd(v128.load(x + o, 48), v128.load(y + o, 48), s3);
  }
  for (; k + 4 <= K; k += 4) s0 = madd(v128.load(x + <usize>k * 4), v128.load(y + <usize>k * 4), s0);
  let sum = hsum(f32x4.add(f32x4.add(s0, s1), f32x4.add(s2, s3)));
  for (; k < K; k++) sum += load<f32>(x + <usize>k * 4) * load<f32>(y + <usize>k * 4);
  return sum;
}

/** x . y summed as dot3 sums each of its rows: two accumulators over steps of 8 floats, a step of 4, the rest. */
// @ts-ignore: decorator
@inline function dotPaired(x: usize, y: usize, K: i32): f32 {
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0);
  let k = 0;
  for (; k + 8 <= K; k += 8) {
    const o = <usize>k * 4;
    a0 = madd(v128.load(x + o), v128.load(y + o), a0);
    a1 = madd(v128.load(x + o, 16), v128.load(y + o, 16), a1);
  }
  if (k + 4 <= K) {
    a0 = madd(v128.load(x + <usize>k * 4), v128.load(y + <usize>k * 4), a0);
    k += 4;
  }
  let sum = hsum(f32x4.add(a0, a1));
  for (; k < K; k++) sum += load<f32>(x + <usize>k * 4) * load<f32>(y + <usize>k * 4);
  return sum;
}

/**
 * dst[0..3] = alpha (x . y_r) (+ beta dst[r]) for the three rows y_r = y + r * stride. Three, not four: with
 * eight accumulators V8 kept two of them on the stack, a store and a load on their chains every step (1 x 256 x 784
 * took 12.1 us against 9.4 with three rows).
 */
// @ts-ignore: decorator
@inline function dot3(x: usize, y: usize, stride: usize, K: i32, alpha: f32, beta: f32, dst: usize): void {
  const y1 = y + stride, y2 = y1 + stride;
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), b0 = f32x4.splat(0), b1 = f32x4.splat(0);
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
  let k = 0;
  for (; k + 8 <= K; k += 8) {
    const o = <usize>k * 4;
    const x0 = v128.load(x + o), x1 = v128.load(x + o, 16);
    a0 = madd(x0, v128.load(y + o), a0);
    a1 = madd(x1, v128.load(y + o, 16), a1);
    b0 = madd(x0, v128.load(y1 + o), b0);
    b1 = madd(x1, v128.load(y1 + o, 16), b1);
    c0 = madd(x0, v128.load(y2 + o), c0);
    c1 = madd(x1, v128.load(y2 + o, 16), c1);
  }
  if (k + 4 <= K) {
    const o = <usize>k * 4;
    const x0 = v128.load(x + o);
    a0 = madd(x0, v128.load(y + o), a0);
    b0 = madd(x0, v128.load(y1 + o), b0);
    c0 = madd(x0, v128.load(y2 + o), c0);
    k += 4;
  }
  let s0 = hsum(f32x4.add(a0, a1)), s1 = hsum(f32x4.add(b0, b1)), s2 = hsum(f32x4.add(c0, c1));
  for (; k < K; k++) {
    const o = <usize>k * 4;
    const xk = load<f32>(x + o);
    s0 += xk * load<f32>(y + o);
    s1 += xk * load<f32>(y1 + o);
    s2 += xk * load<f32>(y2 + o);
  }
  scaleInto(dst, alpha * s0, beta);
  scaleInto(dst + 4, alpha * s1, beta);
  scaleInto(dst + 8, alpha * s2, beta);
}

/** dst = value (+ beta dst); beta = 0 never reads dst. */
// @ts-ignore: decorator
@inline function scaleInto(dst: usize, value: f32, beta: f32): void {
  store<f32>(dst, beta == 0 ? value : value + beta * load<f32>(dst));
}

/**
 * C = alpha * A * op(B) + beta * C for a few rows of A (M < 4, A not transposed), reading B in place: packing
 * a whole weight matrix for one or two rows costs more than the product (single-sample inference).
 * transB = 1: B is N x K, each C element a dot product along contiguous rows; transB = 0: B is K x N, each C
 * row a sum of B's rows scaled by A's elements.
 */
export function gemmSmallM(
  transB: i32, M: i32, N: i32, K: i32, alpha: f32, a: usize, lda: i32, b: usize, ldb: i32, beta: f32, c: usize, ldc: i32,
): void {
  for (let i = 0; i < M; i++) {
    const arow = a + <usize>i * <usize>lda * 4;
    const crow = c + <usize>i * <usize>ldc * 4;
    if (transB) {
      // Three rows of B at a time share each load of A (single-sample inference is this loop). The rows up to
      // the last multiple of 4 sum in dot3's order, the rest in dot's: the bits every shipped model was trained with.
      const paired = N - N % 4;
      let j = 0;
      for (; j + 3 <= paired; j += 3) dot3(arow, b + <usize>j * <usize>ldb * 4, <usize>ldb * 4, K, alpha, beta, crow + <usize>j * 4);
      for (; j < paired; j++) scaleInto(crow + <usize>j * 4, alpha * dotPaired(arow, b + <usize>j * <usize>ldb * 4, K), beta);
      for (; j < N; j++) scaleInto(crow + <usize>j * 4, alpha * dot(arow, b + <usize>j * <usize>ldb * 4, K), beta);
    } else {
      // Scale C's row first, then add alpha * a[k] * B[k, :] for every k.
      const vb = f32x4.splat(beta);
      let j = 0;
      for (; j + 4 <= N; j += 4) {
        const dst = crow + <usize>j * 4;
        v128.store(dst, beta == 0 ? f32x4.splat(0) : f32x4.mul(v128.load(dst), vb));
      }
      for (; j < N; j++) {
        const dst = crow + <usize>j * 4;
        store<f32>(dst, beta == 0 ? 0 : beta * load<f32>(dst));
      }
      for (let k = 0; k < K; k++) {
        const s: f32 = alpha * load<f32>(arow + <usize>k * 4);
        const vs = f32x4.splat(s);
        const brow = b + <usize>k * <usize>ldb * 4;
        j = 0;
        for (; j + 4 <= N; j += 4) {
          const dst = crow + <usize>j * 4;
          v128.store(dst, madd(vs, v128.load(brow + <usize>j * 4), v128.load(dst)));
        }
        for (; j < N; j++) {
          const dst = crow + <usize>j * 4;
          store<f32>(dst, load<f32>(dst) + s * load<f32>(brow + <usize>j * 4));
        }
      }
    }
  }
}
