import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { fromB64, type External } from '../external';
import type { Timing } from '../measure';

const script = fileURLToPath(new URL('../../pytorch/bench.py', import.meta.url));

/** Debian's python3-torch (at /usr/bin/python3 even when another python3 comes first on PATH), if installed. */
function findPython(): string | undefined {
  for (const python of ['/usr/bin/python3', 'python3']) {
    try {
      execFileSync(python, ['-c', 'import torch, numpy'], { stdio: 'ignore' });
      return python;
    } catch {
      // not this one
    }
  }
  return undefined;
}

/** Processes a training case runs in; the fastest counts (see run). */
const TRAIN_PROCESSES = 3;

/** PyTorch on the CPU with one thread (native code, labelled so), when a Python with torch is installed. */
export function pytorch(): External | undefined {
  const python = findPython();
  if (!python) return undefined;
  return {
    name: 'pytorch',
    native: true,
    run(suite, spec, quick) {
      // One thread: torch.set_num_threads covers PyTorch's own pool, these its BLAS's.
      const env = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
      const once = (): Timing & { output: string } =>
        JSON.parse(execFileSync(python, [script], { input: JSON.stringify({ suite, spec, quick }), maxBuffer: 1 << 28, encoding: 'utf8', env })) as Timing & { output: string };
      // A training step's time depends on the process: the LeNet step timed 3.6-3.9 ms in most processes and
      // 6.1-6.3 ms in some, each steady within itself. The fastest of three processes is PyTorch's figure.
      const runs = Array.from({ length: suite === 'train' && !quick ? TRAIN_PROCESSES : 1 }, once);
      const { output, ...timing } = runs.reduce((best, r) => (r.medianMs < best.medianMs ? r : best));
      return { timing, output: fromB64(output) };
    },
  };
}
