import { createKernels, kernels, type Kernels, type SimdLevel } from '@backprop/kernels';
import type { ElementwiseCase, ElementwiseInputs, GemmCase, Impl, Prepared, TrainCase, TrainInputs } from '../cases';
import { sink } from '../cases';
import { backpropConv } from './backprop-conv';
import { backpropTrain } from './backprop-train';

function upload(k: Kernels, data: Float32Array): number {
  const p = k.heap.alloc(data.length * 4);
  k.heap.floats(p, data.length).set(data);
  return p;
}

function prepared(k: Kernels, buffers: number[], out: number, n: number, run: () => void): Prepared {
  return {
    run() {
      run();
      sink.value += k.heap.floats(out, 1)[0]!;
    },
    output: () => k.heap.floats(out, n).slice(),
    dispose: () => buffers.forEach((p) => k.heap.free(p)),
  };
}

/** backprop's kernels on one build, in their own instance (one thread). */
export function backprop(level: SimdLevel): Impl {
  const k = createKernels(level);
  return {
    name: level === 'simd' ? 'backprop' : 'backprop-relaxed',
    // Training runs through @backprop/autograd, which uses the process's default build: only in one column.
    ...(level === 'simd' ? { train: (c: TrainCase, inputs: TrainInputs) => backpropTrain(c, inputs), conv: backpropConv } : {}),
    ...kernelCases(k),
  };
}

/**
 * The process's kernels (shared memory, the worker pool) on `threads` threads: the cli has started them and
 * limits every other column to one; each call of this column lifts the limit for itself.
 */
export function backpropThreads(threads: number): Impl {
  const onThreads = (p: Prepared | undefined): Prepared | undefined => p && {
    ...p,
    run() {
      kernels.threadLimit = threads;
      try {
        return p.run(); // synchronous: backprop's API is
      } finally {
        kernels.threadLimit = 1;
      }
    },
  };
  const { gemm, elementwise } = kernelCases(kernels);
  return {
    name: `backprop-t${threads}`,
    gemm: (c, a, b) => onThreads(gemm(c, a, b)),
    elementwise: (c, inputs) => onThreads(elementwise(c, inputs)),
    conv: (c, inputs) => onThreads(backpropConv(c, inputs)),
    train: (c, inputs) => onThreads(backpropTrain(c, inputs)),
  };
}

/** The GEMM and elementwise cases on kernels k. */
function kernelCases(k: Kernels): Required<Pick<Impl, 'gemm' | 'elementwise'>> {
  return {
    gemm({ M, N, K, transA, transB, batch = 1 }: GemmCase, a: Float32Array, b: Float32Array): Prepared {
      const [pa, pb, pc] = [upload(k, a), upload(k, b), k.heap.alloc(batch * M * N * 4)];
      const [lda, ldb] = [transA ? M : K, transB ? K : N];
      // The batched product is autograd's matmul of stacks: one strided-batched GEMM.
      return prepared(k, [pa, pb, pc], pc, batch * M * N, () => k.gemmBatched(batch, transA, transB, M, N, K, 1, pa, lda, M * K, pb, ldb, K * N, 0, pc, N, M * N));
    },
    elementwise({ op, direction, n }: ElementwiseCase, { x, other, dy }: ElementwiseInputs): Prepared {
      const [px, po, pdy, out] = [upload(k, x), upload(k, other), upload(k, dy), k.heap.alloc(n * 4)];
      const buffers = [px, po, pdy, out];
      if (op === 'add' || op === 'mul') {
        return direction === 'forward'
          ? prepared(k, buffers, out, n, () => k.binary(op, 1, n, px, 0, 1, po, 0, 1, out))
          : prepared(k, buffers, out, n, () => k.binary('mul', 1, n, pdy, 0, 1, po, 0, 1, out));
      }
      if (direction === 'forward') return prepared(k, buffers, out, n, () => k.unary(op, n, px, out, 0));
      // Backward reads what it needs: y for sigmoid, tanh, exp and relu.
      const py = k.heap.alloc(n * 4);
      k.unary(op, n, px, py, 0);
      return prepared(k, [...buffers, py], out, n, () => k.unaryBackward(op, n, px, py, pdy, out, 0));
    },
  };
}
