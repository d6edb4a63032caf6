/** y[j, i] = x[i, j] for x [rows, cols]. */
export function transpose(rows: number, cols: number, x: ArrayLike<number>, y: { [i: number]: number }): void {
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) y[j * rows + i] = x[i * cols + j]!;
}
