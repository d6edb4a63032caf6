// Weight initialisers, in place, drawing from autograd's one seeded generator (manualSeed). The lecture's
// point: the scale of the initial weights decides whether signals and gradients survive many layers.
import { checkOptions, noGrad, rand, randn, tensor, type Tensor } from '@backprop/autograd';

export type Nonlinearity = 'linear' | 'identity' | 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'leaky_relu' | 'selu';
export type FanMode = 'fanIn' | 'fanOut';

/**
 * The recommended gain for a nonlinearity (PyTorch's calculate_gain): 1 for linear and sigmoid, 5/3 for
 * tanh, sqrt(2) for ReLU, sqrt(2 / (1 + slope^2)) for leaky ReLU (slope `param`, default 0.01), 3/4 for SELU.
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear': case 'identity': case 'sigmoid': return 1;
    case 'tanh': return 5 / 3;
    case 'relu': return Math.SQRT2;
    case 'leakyRelu': case 'leaky_relu': {
      const slope = param ?? 0.01;
      if (typeof slope !== 'number' || !Number.isFinite(slope)) throw new TypeError(`calculateGain: negative slope ${String(slope)} is not a number`);
      return Math.sqrt(2 / (1 + slope ** 2));
    }
    case 'selu': return 3 / 4;
    default: throw new RangeError(`calculateGain: unknown nonlinearity '${String(nonlinearity)}' (linear, sigmoid, tanh, relu, leakyRelu, selu)`);
  }
}

/** fanIn = in features x receptive field, fanOut = out features x receptive field, for a [out, in, ...] weight. */
export function fans(t: Tensor): { fanIn: number; fanOut: number } {
  if (t.rank < 2) throw new RangeError(`fan in and fan out need a tensor of at least 2 dimensions, got shape [${t.shape.join(', ')}]`);
  const receptive = t.shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: t.shape[1]! * receptive, fanOut: t.shape[0]! * receptive };
}

function fill(t: Tensor, values: Tensor): Tensor {
  noGrad(() => t.copy_(values));
  values.dispose();
  return t;
}

/** All zeros: the pitfall of the lecture, every unit of a layer then computes and learns the same thing. */
export const zeros_ = (t: Tensor): Tensor => noGrad(() => t.zero_());

export const ones_ = (t: Tensor): Tensor => noGrad(() => t.fill_(1));

export const constant_ = (t: Tensor, value: number): Tensor => noGrad(() => t.fill_(value));

/** U(a, b). */
export function uniform_(t: Tensor, options: { a?: number; b?: number } = {}): Tensor {
  checkOptions('uniform_', options, { a: 0, b: 1 });
  const { a = 0, b = 1 } = options;
  if (!(b > a)) throw new RangeError(`uniform_: b (${b}) must exceed a (${a})`);
  return fill(t, rand(t.shape, { low: a, high: b }));
}

/** N(mean, std^2); small random weights are normal_(t, { std: 0.01 }). */
export function normal_(t: Tensor, options: { mean?: number; std?: number } = {}): Tensor {
  checkOptions('normal_', options, { mean: 0, std: 1 });
  const { mean = 0, std = 1 } = options;
  return fill(t, randn(t.shape, { mean, std }));
}

/** LeCun uniform ("Efficient BackProp", Tricks of the Trade): U[-1/sqrt(fanIn), 1/sqrt(fanIn)], Var = 1/(3 fanIn). */
export function lecunUniform_(t: Tensor): Tensor {
  const bound = 1 / Math.sqrt(fans(t).fanIn);
  return uniform_(t, { a: -bound, b: bound });
}

/** LeCun normal: N(0, 1/fanIn), the variance that keeps a linear unit's output variance at its input's. */
export function lecunNormal_(t: Tensor): Tensor {
  return normal_(t, { std: 1 / Math.sqrt(fans(t).fanIn) });
}

/** Xavier/Glorot uniform: U[-a, a] with a = gain sqrt(6 / (fanIn + fanOut)), so Var = gain^2 2/(fanIn + fanOut). */
export function xavierUniform_(t: Tensor, options: { gain?: number } = {}): Tensor {
  checkOptions('xavierUniform_', options, { gain: 1 });
  const { gain = 1 } = options;
  const { fanIn, fanOut } = fans(t);
  const a = gain * Math.sqrt(6 / (fanIn + fanOut));
  return uniform_(t, { a: -a, b: a });
}

/** Xavier/Glorot normal: N(0, gain^2 2/(fanIn + fanOut)). */
export function xavierNormal_(t: Tensor, options: { gain?: number } = {}): Tensor {
  checkOptions('xavierNormal_', options, { gain: 1 });
  const { gain = 1 } = options;
  const { fanIn, fanOut } = fans(t);
  return normal_(t, { std: gain * Math.sqrt(2 / (fanIn + fanOut)) });
}

export interface KaimingOptions {
  /** The negative slope for leaky ReLU (ignored otherwise). */
  a?: number;
  mode?: FanMode;
  nonlinearity?: Nonlinearity;
}

function kaimingStd(t: Tensor, options: KaimingOptions, op: string): number {
  checkOptions(op, options, { a: 0, mode: 'fanIn', nonlinearity: 'leakyRelu' });
  const { a = 0, mode = 'fanIn', nonlinearity = 'leakyRelu' } = options;
  if (mode !== 'fanIn' && mode !== 'fanOut') throw new RangeError(`${op}: unknown mode '${String(mode)}' (fanIn or fanOut)`);
  const fan = fans(t)[mode];
  return calculateGain(nonlinearity, a) / Math.sqrt(fan);
}

/** He/Kaiming uniform: U[-b, b] with b = gain sqrt(3 / fan); for ReLU, Var = 2/fanIn. */
export function kaimingUniform_(t: Tensor, options: KaimingOptions = {}): Tensor {
  const bound = Math.sqrt(3) * kaimingStd(t, options, 'kaimingUniform_');
  return uniform_(t, { a: -bound, b: bound });
}

/** He/Kaiming normal: N(0, gain^2 / fan); for ReLU with fanIn, Var = 2/fanIn (He et al., 2015). */
export function kaimingNormal_(t: Tensor, options: KaimingOptions = {}): Tensor {
  return normal_(t, { std: kaimingStd(t, options, 'kaimingNormal_') });
}

/**
 * A (semi-)orthogonal matrix times gain (Saxe et al., 2014): the Q of the QR decomposition of a normal
 * matrix, signs fixed by R's diagonal so the distribution is uniform. Dimensions after the first are flattened.
 */
export function orthogonal_(t: Tensor, options: { gain?: number } = {}): Tensor {
  checkOptions('orthogonal_', options, { gain: 1 });
  const { gain = 1 } = options;
  if (t.rank < 2) throw new RangeError(`orthogonal_: needs a tensor of at least 2 dimensions, got shape [${t.shape.join(', ')}]`);
  const rows = t.shape[0]!;
  const cols = t.size / rows;
  const sample = randn([rows, cols]);
  const values = Float64Array.from(sample.values());
  sample.dispose();
  // Work on the tall orientation (m >= n) and transpose back.
  const tall = rows >= cols;
  const [m, n] = tall ? [rows, cols] : [cols, rows];
  const a = new Float64Array(m * n);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) a[tall ? i * n + j : j * n + i] = values[i * cols + j]!;
  // Modified Gram-Schmidt: columns of Q, with R's diagonal sign folded in.
  const q = new Float64Array(m * n);
  for (let j = 0; j < n; j++) {
    const v = new Float64Array(m);
    for (let i = 0; i < m; i++) v[i] = a[i * n + j]!;
    for (let k = 0; k < j; k++) {
      let dot = 0;
      for (let i = 0; i < m; i++) dot += q[i * n + k]! * v[i]!;
      for (let i = 0; i < m; i++) v[i] = v[i]! - dot * q[i * n + k]!;
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += v[i]! ** 2;
    norm = Math.sqrt(norm);
    // R's diagonal entry is the projection of the original column on q_j: positive by construction here.
    for (let i = 0; i < m; i++) q[i * n + j] = v[i]! / norm;
  }
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j] = gain * q[tall ? i * n + j : j * n + i]!;
  return fill(t, tensor(out, { shape: t.shape }));
}
