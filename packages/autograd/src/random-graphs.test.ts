// Random op graphs of up to 8 ops on tensors of rank 0 to 4 (broadcasting, views, reductions over several axes,
// batched matmul, empty axes), run in backprop and replayed in PyTorch 1.13 (tools/fixtures/replay_graphs.py):
// the same outputs and leaf gradients, and an error wherever PyTorch raises. The programs are drawn from a fixed
// seed, so every run checks the same ones.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { python } from '../../../tools/python';
import { concat, pad, stack, tensor, where, type Tensor } from './index';
import { broadcastShapes, sizeOf } from './shape';

interface Leaf { shape: number[]; data: number[]; grad: boolean; int: boolean }
interface Step { op: string; inputs: number[]; args: Record<string, unknown> }
interface Program { leaves: Leaf[]; steps: Step[]; weights: number[] }
interface Ran { program: Program; out: Tensor | null; error: string | null; grads: (ArrayLike<number> | null)[] }
type Replayed = { error: string } | { shape: number[]; value: (number | null)[]; grads: ((number | null)[] | null)[] };

const PROGRAMS = 400;

/** mulberry32: a small seeded generator, the same draws on every run. */
function generator(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = generator(20261205);
const int = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
const shuffled = (n: number): number[] => Array.from({ length: n }, (_, i) => i).sort(() => random() - 0.5);

const unary: Record<string, (x: Tensor) => Tensor> = {
  neg: (x) => x.neg(), tanh: (x) => x.tanh(), sigmoid: (x) => x.sigmoid(), relu: (x) => x.relu(), square: (x) => x.square(),
  abs: (x) => x.abs(), softplus: (x) => x.softplus(), exp: (x) => x.exp(), log: (x) => x.log(), sqrt: (x) => x.sqrt(),
};
const binary: Record<string, (a: Tensor, b: Tensor | number) => Tensor> = {
  add: (a, b) => a.add(b), sub: (a, b) => a.sub(b), mul: (a, b) => a.mul(b), div: (a, b) => a.div(b),
  maximum: (a, b) => a.maximum(b), minimum: (a, b) => a.minimum(b),
};

/** One random program, built and run in backprop as it is drawn (so each op's domain can be kept: log of > 0). */
class Builder {
  readonly program: Program = { leaves: [], steps: [], weights: [] };
  readonly nodes: Tensor[] = [];

  leaf(shape: number[], { grad = true, positive = false, below }: { grad?: boolean; positive?: boolean; below?: number } = {}): number {
    const data = Array.from({ length: sizeOf(shape) }, () =>
      below !== undefined ? int(0, below - 1) : positive ? 0.5 + Math.round(random() * 2e4) / 1e4 : Math.round((random() * 4 - 2) * 1e4) / 1e4);
    const isInt = below !== undefined;
    this.program.leaves.push({ shape, data, grad: grad && !isInt, int: isInt });
    return this.add('leaf', [], { leaf: this.program.leaves.length - 1 }, () => tensor(data, { shape, dtype: isInt ? 'int32' : 'float32', requiresGrad: grad && !isInt }));
  }

  /** Records a step, then computes it: a step that throws stays in the program, for PyTorch to refuse too. */
  add(op: string, inputs: number[], args: Record<string, unknown>, compute: () => Tensor): number {
    this.program.steps.push({ op, inputs, args });
    this.nodes.push(compute());
    return this.nodes.length - 1;
  }

  /** |x| + 0.25: an input that log, sqrt, division and negative powers are defined on. */
  shifted(i: number): number {
    return this.add('shifted', [i], {}, () => this.nodes[i]!.abs().add(0.25));
  }

  /** A shape that broadcasts with `shape`: some leading axes dropped, some axes 1, maybe a new leading axis. */
  broadcastable(shape: readonly number[]): number[] {
    const dropped = int(0, shape.length);
    const out = shape.slice(dropped).map((d) => (random() < 0.3 ? 1 : d));
    if (dropped === 0 && random() < 0.2) out.unshift(pick([1, 2]));
    return out;
  }
}

const randomShape = (): number[] => Array.from({ length: int(0, 4) }, () => (random() < 0.03 ? 0 : pick([1, 1, 2, 3, 4, 5, 7, 17])));
const axesOf = (rank: number): number | number[] | null => {
  const mode = rank === 0 ? 0 : int(0, 2);
  if (mode === 0) return null;
  if (mode === 1) return int(-rank, rank - 1);
  return [...new Set(Array.from({ length: int(1, rank) }, () => int(0, rank - 1)))];
};

/** One op on node i (the last node, usually), drawn from every family (none when the one drawn does not apply). */
function step(b: Builder, i: number): void {
  const x = b.nodes[i]!;
  const shape = [...x.shape];
  const rank = shape.length;
  const family = random() < 0.01 ? 'mismatch' : pick(['unary', 'unary', 'binary', 'binary', 'scalar', 'pow', 'reduce', 'variance', 'view', 'view', 'softmax', 'matmul', 'join', 'where', 'pad', 'gather']);
  if (family === 'unary') {
    const f = pick([...Object.keys(unary), 'leakyRelu', 'elu']);
    if (f === 'leakyRelu') b.add(f, [i], { slope: 0.1 }, () => x.leakyRelu(0.1));
    else if (f === 'elu') b.add(f, [i], { alpha: 0.7 }, () => x.elu(0.7));
    else {
      const input = f === 'log' || f === 'sqrt' ? b.shifted(i) : f === 'exp' ? b.add('tanh', [i], {}, () => x.tanh()) : i;
      b.add(f, [input], {}, () => unary[f]!(b.nodes[input]!));
    }
  } else if (family === 'binary') {
    const f = pick(Object.keys(binary));
    // The other operand: an earlier node of a broadcastable shape (x itself included: ties), or a new leaf.
    const earlier = b.nodes.map((n, k) => [n, k] as const).filter(([n, k]) => n.dtype === 'float32' && b.program.steps[k]!.op !== 'positive' && broadcastShapes(n.shape, shape) !== undefined);
    let other = random() < 0.4 && earlier.length > 0 ? pick(earlier)[1] : b.leaf(b.broadcastable(shape), { grad: random() < 0.8 });
    let first = i;
    if (random() < 0.5) [first, other] = [other, first];
    if (f === 'div') other = b.shifted(other);
    b.add(f, [first, other], {}, () => binary[f]!(b.nodes[first]!, b.nodes[other]!));
  } else if (family === 'scalar') {
    const f = pick(Object.keys(binary));
    const c = f === 'div' ? pick([2, -0.5, 3]) : pick([0, 1.5, -2]);
    b.add('scalar', [i], { f, c }, () => binary[f]!(x, c));
  } else if (family === 'pow') {
    const e = pick([0, 0.5, 1, 2, 3, -1]);
    const input = e === 0.5 || e === -1 ? b.shifted(i) : i;
    b.add('pow', [input], { e }, () => b.nodes[input]!.pow(e));
  } else if (family === 'reduce') {
    const f = pick(['sum', 'mean', 'max', 'min'] as const);
    const axes = axesOf(rank);
    const keep = random() < 0.5;
    const reduced = axes === null ? shape : (typeof axes === 'number' ? [axes] : axes).map((a) => shape.at(a)!);
    if ((f === 'max' || f === 'min') && reduced.includes(0)) return; // no extremum of nothing, in either library
    b.add(f, [i], { axes, keep }, () => x[f](axes ?? undefined, keep));
  } else if (family === 'variance') {
    const axes = axesOf(rank);
    const keep = random() < 0.5;
    const count = sizeOf(axes === null ? shape : (typeof axes === 'number' ? [axes] : axes).map((a) => shape.at(a)!));
    const correction = pick([0, 1]);
    if (count <= correction) return; // 0/0: PyTorch 1.13's own gradient there is inconsistent
    const variance = x.var(axes ?? undefined, { correction, keepDims: keep });
    // The slope of std at a (near) constant set is 1/(2 std): its rounding would decide the result, not the code.
    const f = variance.size > 0 && variance.min().item() > 1e-3 && random() < 0.5 ? 'std' : 'var';
    b.add(f, [i], { axes, keep, correction }, () => f === 'std' ? x.std(axes ?? undefined, { correction, keepDims: keep }) : variance);
  } else if (family === 'mismatch') {
    // A product whose inner dimensions differ (or of a 0-d tensor): both libraries must refuse it.
    const other = b.leaf([(shape.at(-1) ?? 1) + 1, 2]);
    b.add('matmul', [i, other], {}, () => x.matmul(b.nodes[other]!));
  } else if (family === 'view') view(b, i, shape);
  else if (family === 'softmax' && rank > 0) {
    const axis = int(-rank, rank - 1);
    const f = pick(['softmax', 'logSoftmax'] as const);
    b.add(f, [i], { axis }, () => x[f](axis));
  } else if (family === 'matmul' && rank > 0) {
    const [k, n] = [shape[rank - 1]!, pick([1, 2, 3, 5, 17])];
    if (rank >= 2 && random() < 0.4) {
      // x on the right: a [..., m, rows of x] in front.
      const a = b.leaf([...b.broadcastable(shape.slice(0, -2)), pick([1, 2, 3, 17]), shape[rank - 2]!], { grad: random() < 0.8 });
      b.add('matmul', [a, i], {}, () => b.nodes[a]!.matmul(x));
      return;
    }
    const batch = rank >= 2 ? b.broadcastable(shape.slice(0, -2)) : [];
    const other = b.leaf(random() < 0.3 ? [k] : [...batch, k, n], { grad: random() < 0.8 });
    b.add('matmul', [i, other], {}, () => x.matmul(b.nodes[other]!));
  } else if (family === 'join') {
    if (rank > 0 && random() < 0.5) {
      const axis = int(-rank, rank - 1);
      const otherShape = shape.map((d, k) => (k === (axis + rank) % rank ? int(0, 3) : d));
      const other = b.leaf(otherShape, { grad: random() < 0.8 });
      b.add('concat', [i, other], { axis }, () => concat([x, b.nodes[other]!], axis));
    } else {
      const axis = int(-rank - 1, rank);
      const other = b.leaf(shape, { grad: random() < 0.8 });
      b.add('stack', [other, i], { axis }, () => stack([b.nodes[other]!, x], axis));
    }
  } else if (family === 'where') {
    const cond = b.leaf(b.broadcastable(shape), { grad: false });
    const mask = b.add('positive', [cond], {}, () => b.nodes[cond]!.gt(0));
    if (random() < 0.5) b.add('where', [mask, i], { c: 0.5 }, () => where(b.nodes[mask]!, x, 0.5));
    else {
      const other = b.leaf(b.broadcastable(shape));
      b.add('where', [mask, i, other], {}, () => where(b.nodes[mask]!, x, b.nodes[other]!));
    }
  } else if (family === 'pad' && rank > 0) {
    const pads = Array.from({ length: 2 * int(1, Math.min(rank, 3)) }, () => int(0, 2));
    const value = pick([0, 1.5]);
    b.add('pad', [i], { pads, value }, () => pad(x, pads, { value }));
  } else if (family === 'gather' && rank > 0) {
    const axis = int(-rank, rank - 1);
    const size = shape.at(axis)!;
    if (size === 0) return;
    const index = b.leaf(shape.map((d, k) => (k === (axis + rank) % rank ? int(0, 4) : int(0, d))), { below: size });
    b.add('gather', [i, index], { axis }, () => x.gather(axis, b.nodes[index]!));
  }
}

function view(b: Builder, i: number, shape: number[]): void {
  const x = b.nodes[i]!;
  const rank = shape.length;
  const f = pick(['permute', 'transpose', 'reshape', 'narrow', 'unsqueeze', 'squeeze', 'flatten', 'expand']);
  if (f === 'permute') {
    const order = shuffled(rank);
    b.add(f, [i], { order }, () => x.permute(order));
  } else if (f === 'transpose' && rank > 0) {
    const [dim0, dim1] = [int(-rank, rank - 1), int(-rank, rank - 1)];
    b.add(f, [i], { dim0, dim1 }, () => x.transpose(dim0, dim1));
  } else if (f === 'reshape') {
    let target: number[] = [];
    let rest = sizeOf(shape);
    if (rest === 0) target = [0, int(1, 3)];
    else {
      for (const factor of [2, 3, 5, 7, 17]) while (rest % factor === 0 && random() < 0.6) [target, rest] = [[...target, factor], rest / factor];
      target = [...target, rest].sort(() => random() - 0.5);
      if (random() < 0.3) target[int(0, target.length - 1)] = -1;
    }
    b.add(f, [i], { shape: target }, () => x.reshape(target));
  } else if (f === 'narrow' && rank > 0) {
    const axis = int(0, rank - 1);
    const start = int(0, shape[axis]!);
    const length = int(0, shape[axis]! - start);
    b.add(f, [i], { axis, start, length }, () => x.narrow(axis, start, length));
  } else if (f === 'unsqueeze') {
    const axis = int(-rank - 1, rank);
    b.add(f, [i], { axis }, () => x.unsqueeze(axis));
  } else if (f === 'squeeze') {
    const ones = shape.flatMap((d, k) => (d === 1 ? [k] : []));
    const axis = ones.length > 0 && random() < 0.5 ? pick(ones) : null;
    b.add(f, [i], { axis }, () => x.squeeze(axis ?? undefined));
  } else if (f === 'flatten') {
    const start = rank > 0 ? int(0, rank - 1) : 0;
    const end = rank > 0 ? int(start, rank - 1) : -1;
    b.add(f, [i], { start, end }, () => x.flatten(start, end));
  } else if (f === 'expand') {
    const target = [...(random() < 0.3 ? [2] : []), ...shape.map((d) => (d === 1 ? pick([1, 2, 3]) : random() < 0.2 ? -1 : d))];
    b.add(f, [i], { shape: target }, () => x.expand(target));
  }
}

/** Draws a program and runs it; an op that throws ends it (PyTorch must raise on the same program). */
function draw(): Ran {
  const b = new Builder();
  b.leaf(randomShape());
  let error: string | null = null;
  for (let ops = int(1, 8); ops > 0 && b.nodes.at(-1)!.size <= 5000; ops--) {
    const floats = b.nodes.flatMap((n, k) => (n.dtype === 'float32' && b.program.steps[k]!.op !== 'positive' ? [k] : []));
    try {
      step(b, random() < 0.7 ? floats.at(-1)! : pick(floats));
    } catch (e) {
      error = (e as Error).message;
      break;
    }
  }
  if (error !== null) return { program: b.program, out: null, error, grads: [] };
  const out = b.nodes.at(-1)!;
  b.program.weights = Array.from({ length: out.size }, () => Math.round((random() * 2 - 1) * 1e3) / 1e3);
  if (out.requiresGrad) out.mul(tensor(b.program.weights, { shape: [...out.shape] })).sum().backward();
  const leaves = b.program.steps.flatMap((s, k) => (s.op === 'leaf' ? [b.nodes[k]!] : []));
  return { program: b.program, out, error: null, grads: leaves.map((t) => t.grad?.data() ?? null) };
}

/**
 * |got - want| <= 1e-4 max(1, max |want|) + 1e-3 |want| (chains of up to 8 float32 ops compound their rounding),
 * and NaN (null in JSON) exactly where PyTorch has NaN. The largest excess over the bound: <= 0 passes.
 */
function worstExcess(got: ArrayLike<number>, want: readonly (number | null)[]): number {
  if (got.length !== want.length) return Infinity;
  const scale = want.reduce<number>((m, v) => (v === null ? m : Math.max(m, Math.abs(v))), 1);
  let worst = -Infinity;
  for (let k = 0; k < want.length; k++) {
    const w = want[k] ?? null;
    if (w === null || Number.isNaN(got[k])) {
      if (w !== null || !Number.isNaN(got[k])) return Infinity;
      continue;
    }
    worst = Math.max(worst, Math.abs(got[k]! - w) - 1e-4 * scale - 1e-3 * Math.abs(w));
  }
  return Number.isNaN(worst) ? Infinity : worst;
}

const work = mkdtempSync(join(tmpdir(), 'backprop-graphs-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('random op graphs: backprop computes what PyTorch 1.13 computes', () => {
  const runs = Array.from({ length: PROGRAMS }, draw);
  const file = join(work, 'programs.json');
  writeFileSync(file, JSON.stringify(runs.map((r) => r.program)));
  const replayed = JSON.parse(python([fileURLToPath(new URL('../../../tools/fixtures/replay_graphs.py', import.meta.url)), file])) as Replayed[];

  it(`draws ${PROGRAMS} programs that use every op family, a few of which (a product of mismatched shapes) both libraries refuse`, () => {
    const ops = new Set(runs.flatMap((r) => r.program.steps.map((s) => s.op)));
    for (const op of ['matmul', 'std', 'var', 'gather', 'pad', 'where', 'expand', 'concat', 'stack', 'max', 'logSoftmax', 'maximum', 'narrow', 'permute']) expect(ops, op).toContain(op);
    const refused = runs.filter((r) => r.error !== null).length;
    expect(refused).toBeGreaterThan(0);
    expect(refused).toBeLessThan(PROGRAMS / 10);
    expect(runs.reduce((n, r) => n + r.program.steps.length, 0) / PROGRAMS).toBeGreaterThan(5);
  });

  runs.forEach((run, k) => {
    it(`program ${k}: ${run.program.steps.map((s) => s.op).join(' ')}`, () => {
      const want = replayed[k]!;
      if ('error' in want) {
        expect(run.error, `PyTorch raised: ${want.error}`).not.toBeNull();
        return;
      }
      expect(run.error).toBeNull();
      expect([...run.out!.shape]).toEqual(want.shape);
      expect(worstExcess(run.out!.values(), want.value), 'output').toBeLessThanOrEqual(0);
      want.grads.forEach((g, leaf) => {
        const got = run.grads[leaf];
        if (g === null) expect(got == null || Array.from(got).every((v) => v === 0), `leaf ${leaf} has no gradient in PyTorch`).toBe(true);
        else expect(worstExcess(got ?? new Float32Array(g.length), g), `leaf ${leaf}'s gradient`).toBeLessThanOrEqual(0);
      });
    });
  });
});
