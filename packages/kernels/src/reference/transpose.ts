/** y[n, j, i] = x[n, i, j] for count matrices x [count, rows, cols]. */
export function transpose(count: number, rows: number, cols: number, x: ArrayLike<number>, y: { [i: number]: number }): void {
  const size = rows * cols;
  for (let n = 0; n < count; n++) {
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) y[n * size + j * rows + i] = x[n * size + i * cols + j]!;
  }
}

/** dst[r * dstRow + c * dstCol] = src[r * srcRow + c * srcCol] for r < rows, c < cols (strides in elements). */
export function copyStrided(
  rows: number, cols: number, src: ArrayLike<number>, srcRow: number, srcCol: number, dst: { [i: number]: number }, dstRow: number, dstCol: number,
): void {
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) dst[r * dstRow + c * dstCol] = src[r * srcRow + c * srcCol]!;
}

/** dst[i] = src[i] for i < n, correct for overlapping ranges (the kernel is a memmove of n * 4 bytes). */
export function copy(src: ArrayLike<number>, dst: { [i: number]: number }, n: number): void {
  const values = Array.from({ length: n }, (_, i) => src[i]!);
  for (let i = 0; i < n; i++) dst[i] = values[i]!;
}
