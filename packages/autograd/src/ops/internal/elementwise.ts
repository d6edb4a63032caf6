// Kernel-backed elementwise ops: a unary kernel of @backprop/kernels each way. The op saves what the backward
// kernel reads (x, y or both), as its reference declares, which is what PyTorch saves.
import { unaryKernels, type UnaryOpName } from '@backprop/kernels';
import { describeValue } from '../../errors';
import type { OpInfo } from '../../op';
import { allocate, record, recording, unrecorded, type Tensor } from '../../tensor';
import { floatInputs } from './common';
import { contiguous } from '../contiguous';
import { map } from './integer';

/** The op table's entry of a kernel-backed elementwise op: its two kernels and a recorded backward. */
export const kernelBacked = (kernel: UnaryOpName): OpInfo => ({ name: kernel, gradient: 'recorded', kernels: [kernel, `${kernel}Backward`] });

/** y = kernel(x; p) on float32 x, recorded with the backward kernel; `params` name p for the graph. */
export function unaryKernel(kernel: UnaryOpName, input: Tensor, p = 0, params?: Record<string, unknown>): Tensor {
  const backend = floatInputs(kernel, [input]);
  const x = contiguous(input);
  const y = allocate(backend, x.shape, 'float32');
  backend.unary(kernel, x.size, x, y, p);
  if (!recording([x])) return unrecorded(y, kernel);
  const { reads } = unaryKernels[kernel];
  const savedX = reads === 'x' || reads === 'both' ? x : null;
  const savedY = reads === 'y' || reads === 'both' ? y : null;
  const [shape, n] = [x.shape, x.size];
  return record(y, kernel, [x], (dy) => {
    const dx = allocate(backend, shape, 'float32');
    backend.unaryBackward(kernel, n, savedX, savedY, dy, dx, p);
    return [dx];
  }, { saves: [savedX, savedY].filter((t) => t !== null), ...(params ? { params } : {}) });
}

/** An op that keeps int32 as int32 (`int` computes it exactly, without a gradient) and runs the kernel on float32. */
export function closedOverInts(kernel: UnaryOpName, int: (v: number) => number) {
  return (x: Tensor): Tensor => (x.live(kernel).dtype === 'int32' ? map(kernel, x, int) : unaryKernel(kernel, x));
}

/** A number parameter of an op, or a TypeError naming it. */
export function numberParameter(op: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || Number.isNaN(value)) throw new TypeError(`${op}: ${name} must be a number, got ${describeValue(value)}`);
  return value;
}
