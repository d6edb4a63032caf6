import type { ElementwiseCase, ElementwiseInputs, GemmCase, Impl, InferenceCase, Prepared } from '../cases';
import { sink } from '../cases';

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

const forward: Record<ElementwiseCase['op'], (x: number, o: number) => number> = {
  add: (x, o) => x + o,
  mul: (x, o) => x * o,
  relu: (x) => (x > 0 ? x : 0),
  sigmoid,
  tanh: Math.tanh,
  exp: Math.exp,
};

const backward: Record<ElementwiseCase['op'], (x: number, o: number, g: number) => number> = {
  add: (_x, _o, g) => g,
  mul: (_x, o, g) => g * o,
  relu: (x, _o, g) => (x > 0 ? g : 0),
  sigmoid: (x, _o, g) => {
    const s = sigmoid(x);
    return g * s * (1 - s);
  },
  tanh: (x, _o, g) => g * (1 - Math.tanh(x) ** 2),
  exp: (x, _o, g) => g * Math.exp(x),
};

/** Plain JavaScript loops over Float32Arrays: what you would write without a library. */
export const js: Impl = {
  name: 'js',
  gemm({ M, N, K, transA, transB, batch = 1 }: GemmCase, a: Float32Array, b: Float32Array): Prepared | undefined {
    if (batch * M * N * K > 512 ** 3) return undefined; // minutes per warm-up at about 1.5 GFLOP/s
    const c = new Float32Array(batch * M * N);
    return {
      run() {
        for (let m = 0; m < batch; m++) {
          const [oa, ob, oc] = [m * M * K, m * K * N, m * M * N];
          for (let i = 0; i < M; i++) {
            for (let j = 0; j < N; j++) {
              let sum = 0;
              for (let k = 0; k < K; k++) sum += (transA ? a[oa + k * M + i]! : a[oa + i * K + k]!) * (transB ? b[ob + j * K + k]! : b[ob + k * N + j]!);
              c[oc + i * N + j] = sum;
            }
          }
        }
        sink.value += c[0]!;
      },
      output: () => c,
      dispose() {},
    };
  },
  inference(c: InferenceCase, x: Float32Array): Prepared | undefined {
    if (c.image) return undefined; // dense layers only
    let last: Float32Array = new Float32Array(0);
    return {
      run() {
        let h: Float32Array = x;
        let width = c.features;
        for (const layer of c.layers) {
          if (layer.kind === 'standardize') h = h.map((v, i) => (v - layer.mean[i % width]!) / layer.std[i % width]!);
          else if (layer.kind === 'linear') {
            const out = new Float32Array(c.batch * layer.out);
            for (let r = 0; r < c.batch; r++) {
              for (let o = 0; o < layer.out; o++) {
                let sum = layer.bias[o]!;
                for (let k = 0; k < layer.in; k++) sum += h[r * layer.in + k]! * layer.weight[o * layer.in + k]!;
                out[r * layer.out + o] = sum;
              }
            }
            h = out;
            width = layer.out;
          } else h = h.map(layer.kind === 'tanh' ? Math.tanh : (v) => (v > 0 ? v : 0));
        }
        last = h;
        sink.value += h[0]!;
      },
      output: () => last,
      dispose() {},
    };
  },
  elementwise({ op, direction, n }: ElementwiseCase, { x, other, dy }: ElementwiseInputs): Prepared {
    const out = new Float32Array(n);
    const f = forward[op];
    const df = backward[op];
    return {
      run:
        direction === 'forward'
          ? () => {
              for (let i = 0; i < n; i++) out[i] = f(x[i]!, other[i]!);
              sink.value += out[0]!;
            }
          : () => {
              for (let i = 0; i < n; i++) out[i] = df(x[i]!, other[i]!, dy[i]!);
              sink.value += out[0]!;
            },
      output: () => out,
      dispose() {},
    };
  },
};
