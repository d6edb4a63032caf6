/** Copies `bytes` bytes from src to dst (regions may overlap): WebAssembly's memory.copy. */
export function copy(dst: usize, src: usize, bytes: usize): void {
  memory.copy(dst, src, bytes);
}
