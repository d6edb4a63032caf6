// jax-js 0.1 on its WebAssembly device, with jit: the GEMM as one jitted matmul, and the training step (the MLPs
// and LeNet) as a jitted value-and-grad plus the optimiser update, written as a JAX user writes it. Single-threaded here: its
// worker pool needs SharedArrayBuffer and a global Worker, which Node 20 and a page without cross-origin
// isolation do not offer.
import { type Array as JaxArray, init, jit, lax, nn, numpy as np, valueAndGrad } from '@jax-js/jax';
import type { GemmCase, Impl, Prepared, TrainCase, TrainInputs } from '../cases';
import { lenetLayers, sink } from '../cases';

type Params = { w: JaxArray[]; b: JaxArray[] };
type AdamState = { m: Params; v: Params };

const matrix = (data: Float32Array, rows: number, cols: number): JaxArray => np.array(data).reshape([rows, cols]);
const mapParams = (p: Params, f: (a: JaxArray, i: number, kind: 'w' | 'b') => JaxArray): Params =>
  ({ w: p.w.map((a, i) => f(a, i, 'w')), b: p.b.map((a, i) => f(a, i, 'b')) });
/** Another reference to every leaf (a parameter tree has no `.ref` of its own). */
const refs = (p: Params): Params => mapParams(p, (a) => a.ref);

export async function jax(): Promise<Impl> {
  await init('wasm'); // only the WebAssembly device: probing WebGPU needs `navigator`, absent in Node 20
  return {
    name: 'jax-js',
    gemm({ M, N, K, transA, transB, batch }: GemmCase, a: Float32Array, b: Float32Array): Prepared {
      const lead = batch === undefined ? [] : [batch];
      const ta = np.array(a).reshape([...lead, ...(transA ? [K, M] : [M, K])]);
      const tb = np.array(b).reshape([...lead, ...(transB ? [N, K] : [K, N])]);
      const product = jit((x: JaxArray, y: JaxArray) => np.matmul(transA ? x.transpose() : x, transB ? y.transpose() : y));
      let last: Float32Array = new Float32Array(0);
      return {
        run() {
          last = product(ta.ref, tb.ref).dataSync() as Float32Array; // consumes the output
          sink.value += last[0]!;
        },
        output: () => last,
        dispose() {
          ta.dispose();
          tb.dispose();
        },
      };
    },
    train,
  };
}

/** The zoo LeNet as lax.conv (NCHW input, OIHW weights, as PyTorch), 2x2 max pooling and dense layers. */
function lenetLogits(p: Params, input: JaxArray, batch: number): JaxArray {
  let h = input.reshape([batch, 1, 28, 28]);
  lenetLayers.forEach((l, i) => {
    if (l.kind === 'conv') {
      const pad: [number, number] = [l.padding, l.padding];
      h = nn.relu(lax.conv(h, p.w[i]!, [1, 1], [pad, pad]).add(p.b[i]!.reshape([1, l.out, 1, 1])));
      const [, channels, height, width] = h.shape as [number, number, number, number];
      h = np.max(h.reshape([batch, channels, height / 2, 2, width / 2, 2]), [3, 5]); // 2x2 max pooling, stride 2
      if (i === 1) h = h.reshape([batch, -1]);
    } else {
      h = np.matmul(h, p.w[i]!.transpose()).add(p.b[i]!);
      if (i < lenetLayers.length - 1) h = nn.relu(h);
    }
  });
  return h;
}

function train(c: TrainCase, inputs: TrainInputs): Prepared {
  const layers = c.model === 'lenet' ? lenetLayers.length : c.sizes.length - 1;
  const classes = c.sizes[c.sizes.length - 1]!;
  const shapes = c.model === 'lenet'
    ? lenetLayers.map((l) => (l.kind === 'conv' ? [l.out, l.in, l.k, l.k] : [l.out, l.in]))
    : c.sizes.slice(1).map((out, i) => [out, c.sizes[i]!]);
  let params: Params = {
    w: inputs.weights.map((w, i) => np.array(w).reshape(shapes[i]!)),
    b: inputs.biases.map((b) => np.array(b)),
  };
  const x = matrix(inputs.x, c.batch, c.sizes[0]!);
  const y = c.task === 'binary' ? matrix(inputs.y, c.batch, 1) : nn.oneHot(np.array(Int32Array.from(inputs.y), { dtype: np.int32 }), classes);
  const activation = c.activation === 'tanh' ? np.tanh : nn.relu;

  // jax-js owns arrays by reference count: every use but the last takes `.ref`.
  const loss = (p: Params, input: JaxArray, target: JaxArray): JaxArray => {
    let h = input;
    if (c.model === 'lenet') h = lenetLogits(p, input, c.batch);
    else {
      for (let i = 0; i < layers; i++) {
        h = np.matmul(h, p.w[i]!.transpose()).add(p.b[i]!);
        if (i < layers - 1) h = activation(h);
      }
    }
    if (c.task === 'binary') return nn.softplus(h.ref).sub(target.mul(h)).mean(); // BCE with logits
    return nn.logSoftmax(h, -1).mul(target).sum(-1).mean().neg();
  };
  const gradStep = valueAndGrad(loss);
  const sgd = jit((p: Params, input: JaxArray, target: JaxArray) => {
    const [value, g] = gradStep(refs(p), input, target) as [JaxArray, Params];
    return [value, mapParams(p, (a, i, kind) => a.sub(g[kind][i]!.mul(c.lr)))] as const;
  });
  // Adam with PyTorch's defaults; the bias corrections change per step, so they come in as arguments.
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  const adam = jit((p: Params, s: AdamState, input: JaxArray, target: JaxArray, c1: JaxArray, c2: JaxArray) => {
    const [value, g] = gradStep(refs(p), input, target) as [JaxArray, Params];
    const m = mapParams(s.m, (a, i, kind) => a.mul(b1).add(g[kind][i]!.ref.mul(1 - b1)));
    const v = mapParams(s.v, (a, i, kind) => a.mul(b2).add(np.square(g[kind][i]!).mul(1 - b2)));
    const next = mapParams(p, (a, i, kind) => {
      const mHat = m[kind][i]!.ref.div(c1.ref);
      const vHat = v[kind][i]!.ref.div(c2.ref);
      return a.sub(mHat.mul(c.lr).div(np.sqrt(vHat).add(eps)));
    });
    c1.dispose();
    c2.dispose();
    return [value, next, { m, v }] as const;
  });
  let state: AdamState = { m: mapParams(refs(params), (a) => np.zerosLike(a)), v: mapParams(refs(params), (a) => np.zerosLike(a)) };
  let t = 0;
  const step = (): number => {
    let value: JaxArray;
    if (c.optimizer === 'sgd') [value, params] = sgd(params, x.ref, y.ref);
    else {
      t++;
      [value, params, state] = adam(params, state, x.ref, y.ref, np.array([1 - b1 ** t]), np.array([1 - b2 ** t]));
    }
    // typescript-eslint cannot resolve jit's result type through jax-js's declarations (tsc can).
    // eslint-disable-next-line @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-member-access
    return value.dataSync()[0]!; // consumes the loss (and so the step that produced it)
  };
  const first = Float32Array.from([step(), step(), step()]);
  return {
    run: () => {
      sink.value += step();
    },
    output: () => first,
    dispose() {
      for (const a of [...params.w, ...params.b, ...state.m.w, ...state.m.b, ...state.v.w, ...state.v.b, x, y]) a.dispose();
    },
  };
}
