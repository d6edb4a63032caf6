// Peers measured in another process (PyTorch): they get a case as data and return its timing and output.
import type { Timing } from './measure';

export interface External {
  name: 'pytorch';
  run(suite: string, spec: Record<string, unknown>, quick: boolean): { timing: Timing; output: Float32Array };
}

/** Float32 arrays as base64 (little-endian) for the child process; everything else goes as JSON. */
export function b64(values: Float32Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}
