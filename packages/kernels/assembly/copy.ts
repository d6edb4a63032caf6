import { transpose } from './transpose';

/** Copies `bytes` bytes from src to dst (regions may overlap): WebAssembly's memory.copy. */
export function copy(dst: usize, src: usize, bytes: usize): void {
  memory.copy(dst, src, bytes);
}

/**
 * dst[r * dstRow + c * dstCol] = src[r * srcRow + c * srcCol] for r < rows, c < cols: 32-bit elements (float32 or
 * int32 alike), strides in elements. What strided views need: the gather behind contiguous() and the scatter of
 * an in-place change into a view. Rows contiguous on both sides are one memory.copy each; the transpose of a
 * contiguous matrix goes through the 4x4-tile transpose; anything else moves one element at a time.
 */
export function copyStrided(rows: i32, cols: i32, src: usize, srcRow: i32, srcCol: i32, dst: usize, dstRow: i32, dstCol: i32): void {
  if (srcCol == 1 && dstCol == 1) {
    for (let r = 0; r < rows; r++) memory.copy(dst + <usize>r * <usize>dstRow * 4, src + <usize>r * <usize>srcRow * 4, <usize>cols * 4);
    return;
  }
  if (srcRow == 1 && srcCol == rows && dstCol == 1 && dstRow == cols) {
    transpose(1, cols, rows, src, dst); // src is a contiguous [cols, rows] matrix read by columns
    return;
  }
  for (let r = 0; r < rows; r++) {
    const s = src + <usize>r * <usize>srcRow * 4;
    const d = dst + <usize>r * <usize>dstRow * 4;
    for (let c = 0; c < cols; c++) store<u32>(d + <usize>c * <usize>dstCol * 4, load<u32>(s + <usize>c * <usize>srcCol * 4));
  }
}
