// Peers measured in another process (PyTorch; ONNX Runtime on several threads, whose thread count is fixed per
// process): they get a case as data and return its timing and output, or undefined for a suite they do not run.
import type { ImplName } from './cases';
import type { Timing } from './measure';

export interface External {
  name: ImplName;
  /** Native code (PyTorch), labelled so in the tables. */
  native: boolean;
  run(suite: string, spec: Record<string, unknown>, quick: boolean): { timing: Timing; output: Float32Array } | undefined;
}

/** Float32 arrays as base64 (little-endian) for the child process; everything else goes as JSON. */
export function b64(values: Float32Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

/** The inverse of b64. */
export function fromB64(text: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}
