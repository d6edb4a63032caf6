import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { fromB64, type External } from '../external';
import type { Timing } from '../measure';

const child = fileURLToPath(new URL('../ort-threads-child.ts', import.meta.url));
const benchDir = fileURLToPath(new URL('../..', import.meta.url));

/**
 * ONNX Runtime Web on `threads` threads, for the GEMM cases: each case in a child process of its own, because
 * ORT fixes its thread count per process and the bench's own ORT column runs on one.
 */
export function ortThreads(threads: number): External {
  return {
    name: `ort-wasm-t${threads}`,
    native: false,
    run(suite, spec, quick) {
      if (suite !== 'gemm' || !('M' in spec)) return undefined; // products only, as the one-thread column (no convolutions)
      // The bench's own loader (TypeScript from the workspace's sources), whatever started this process.
      const reply = execFileSync(process.execPath, ['--conditions=@backprop/source', '--import', 'tsx', child], {
        cwd: benchDir, input: JSON.stringify({ spec, quick, threads }), maxBuffer: 1 << 28, encoding: 'utf8', timeout: 600_000,
      });
      const { output, ...timing } = JSON.parse(reply) as Timing & { output: string };
      return { timing, output: fromB64(output) };
    },
  };
}
