// Debian's python3, where python3-torch and python3-onnx live: the export tests of @backprop/nn and @backprop/zoo
// check their files in torch and onnx.checker with it.
import { execFileSync } from 'node:child_process';

/** Runs Debian's python3 (where python3-torch and python3-onnx live) and returns what it prints. */
export function python(args: string[]): string {
  try {
    return execFileSync('/usr/bin/python3', args, { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const { stderr = '' } = error as { stderr?: string };
    if (/ModuleNotFoundError|ENOENT/.test(stderr + String(error))) {
      throw new Error(`the export tests check files in PyTorch and ONNX: apt-get install python3-torch python3-onnx (.ci/run does)\n${stderr}`, { cause: error });
    }
    throw error;
  }
}
