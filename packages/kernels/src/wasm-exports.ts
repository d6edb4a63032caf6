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
}
