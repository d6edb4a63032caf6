// The raw exports of the WASM module. Pointers are byte offsets into the heap; sizes count elements.
// Booleans travel as 0/1. Each group mirrors one file of assembly/.
export interface WasmExports {
  heapBase(): number;
  // gemm.ts
  packedBSize(K: number, N: number): number;
  packB(transB: number, K: number, N: number, b: number, ldb: number, packed: number): void;
  gemmPacked(
    transA: number, M: number, N: number, K: number, alpha: number,
    a: number, lda: number, packed: number, beta: number, c: number, ldc: number,
  ): void;
  // binary.ts
  binary(
    op: number, rows: number, cols: number, a: number, aRow: number, aCol: number,
    b: number, bRow: number, bCol: number, out: number,
  ): void;
  axpby(n: number, alpha: number, a: number, beta: number, b: number, out: number): void;
  fill(n: number, value: number, out: number): void;
  // unary.ts
  unary(op: number, n: number, x: number, y: number, p: number): void;
  unaryBackward(op: number, n: number, x: number, y: number, dy: number, dx: number, p: number): void;
  // prelu.ts
  prelu(outer: number, channels: number, inner: number, x: number, alpha: number, y: number): void;
  preluBackward(
    outer: number, channels: number, inner: number, x: number, alpha: number, dy: number, dx: number, dalpha: number,
  ): void;
}
