// y[j, i] = x[i, j] for x [rows, cols] (float32 or int32 alike: it moves 32-bit words), for a stack of matrices.
// 4x4 tiles transposed in registers with shuffles; the edges one element at a time.

/** y[n] = x[n]^T for count matrices x [count, rows, cols] stored one after another (y is [count, cols, rows]). */
export function transpose(count: i32, rows: i32, cols: i32, x: usize, y: usize): void {
  const bytes = <usize>rows * <usize>cols * 4;
  for (let n = 0; n < count; n++) transposeOne(rows, cols, x + <usize>n * bytes, y + <usize>n * bytes);
}

function transposeOne(rows: i32, cols: i32, x: usize, y: usize): void {
  const rs = <usize>cols * 4; // bytes per row of x
  const cs = <usize>rows * 4; // bytes per row of y
  let i = 0;
  for (; i + 4 <= rows; i += 4) {
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const src = x + <usize>i * rs + <usize>j * 4;
      const r0 = v128.load(src);
      const r1 = v128.load(src + rs);
      const r2 = v128.load(src + rs * 2);
      const r3 = v128.load(src + rs * 3);
      const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5);
      const t1 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
      const t2 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
      const t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
      const dst = y + <usize>j * cs + <usize>i * 4;
      v128.store(dst, i64x2.shuffle(t0, t2, 0, 2));
      v128.store(dst + cs, i64x2.shuffle(t0, t2, 1, 3));
      v128.store(dst + cs * 2, i64x2.shuffle(t1, t3, 0, 2));
      v128.store(dst + cs * 3, i64x2.shuffle(t1, t3, 1, 3));
    }
    for (; j < cols; j++) {
      for (let r = i; r < i + 4; r++) store<u32>(y + <usize>j * cs + <usize>r * 4, load<u32>(x + <usize>r * rs + <usize>j * 4));
    }
  }
  for (; i < rows; i++) {
    for (let j = 0; j < cols; j++) store<u32>(y + <usize>j * cs + <usize>i * 4, load<u32>(x + <usize>i * rs + <usize>j * 4));
  }
}
