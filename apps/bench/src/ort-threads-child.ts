// The ort-wasm-tN column's own process: ONNX Runtime Web's thread count is a setting of the whole process,
// fixed once a session exists, so its N-thread GEMM cannot share the bench's process (where it runs on one).
// Reads {spec, quick, threads} (a GEMM case as the parent's spec) on stdin, times it with the same harness and
// writes its timing and output as JSON on stdout.
import { readFileSync } from 'node:fs';
import type { GemmCase } from './cases';
import { b64, fromB64 } from './external';
import { onnxRuntime } from './impls/ort';
import { measure } from './measure';

const { spec, quick, threads } = JSON.parse(readFileSync(0, 'utf8')) as { spec: GemmCase & { a: string; b: string }; quick: boolean; threads: number };
const prepared = onnxRuntime(threads).gemm?.(spec, fromB64(spec.a), fromB64(spec.b));
if (!prepared) throw new Error('ort-wasm: no GEMM');
const [timing] = await measure([prepared], { quick });
const reply = JSON.stringify({ ...timing, output: b64(prepared.output()) });
prepared.dispose();
// ONNX Runtime's worker threads would keep the process alive.
process.stdout.write(reply, () => process.exit(0));
