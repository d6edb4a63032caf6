// Arithmetic expressions for the backprop explorer: a small recursive-descent parser to a syntax tree, and its
// evaluation on autograd tensors, so the graph the explorer draws is the tape's own (exportGraph).
import { type GraphJSON, type Tensor, exportGraph, named, noGrad, tensor } from '@backprop/autograd';

export type Expr =
  | { kind: 'number'; value: number }
  | { kind: 'variable'; name: string }
  | { kind: 'unary'; fn: UnaryFn; arg: Expr }
  | { kind: 'binary'; op: '+' | '-' | '*' | '/'; left: Expr; right: Expr }
  | { kind: 'power'; base: Expr; exponent: number };

const unaryFns = {
  neg: (t: Tensor) => t.neg(),
  exp: (t: Tensor) => t.exp(),
  log: (t: Tensor) => t.log(),
  sqrt: (t: Tensor) => t.sqrt(),
  square: (t: Tensor) => t.square(),
  abs: (t: Tensor) => t.abs(),
  sigmoid: (t: Tensor) => t.sigmoid(),
  tanh: (t: Tensor) => t.tanh(),
  relu: (t: Tensor) => t.relu(),
  leakyRelu: (t: Tensor) => t.leakyRelu(),
  elu: (t: Tensor) => t.elu(),
  softplus: (t: Tensor) => t.softplus(),
};
export type UnaryFn = keyof typeof unaryFns;
export const functionNames = Object.keys(unaryFns) as UnaryFn[];

export class ExpressionError extends Error {
  constructor(message: string, readonly column: number) {
    super(`${message} (column ${column + 1})`);
    this.name = 'ExpressionError';
  }
}

type Token = { kind: 'number' | 'name' | 'symbol'; text: string; at: number };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s*(?:(\d+\.?\d*(?:e[+-]?\d+)?|\.\d+(?:e[+-]?\d+)?)|([A-Za-z_]\w*)|([-+*/^()]))/y;
  let at = 0;
  while (at < source.length) {
    if (/^\s*$/.test(source.slice(at))) break;
    pattern.lastIndex = at;
    const m = pattern.exec(source);
    if (!m) {
      const column = at + (source.slice(at).length - source.slice(at).trimStart().length);
      throw new ExpressionError(`unexpected '${source[column]}'`, column);
    }
    const text = m[1] ?? m[2] ?? m[3]!;
    tokens.push({ kind: m[1] ? 'number' : m[2] ? 'name' : 'symbol', text, at: pattern.lastIndex - text.length });
    at = pattern.lastIndex;
  }
  return tokens;
}

/** Parses `(x + y) * z`, `1 / (1 + exp(-(w0*x0 + w1*x1 + w2)))`, `x^2`, ... into a syntax tree. */
export function parse(source: string): Expr {
  const tokens = tokenize(source);
  let i = 0;
  const peek = (): Token | undefined => tokens[i];
  const end = source.length;
  const expect = (text: string): void => {
    const t = peek();
    if (t?.text !== text) throw new ExpressionError(`expected '${text}'${t ? ` but found '${t.text}'` : ' at the end'}`, t?.at ?? end);
    i++;
  };

  /** One precedence level of left-associative binary operators over the next-tighter level. */
  const level = (ops: readonly string[], next: () => Expr) => (): Expr => {
    let left = next();
    for (let t = peek(); t && ops.includes(t.text); t = peek()) {
      i++;
      left = { kind: 'binary', op: t.text as '+' | '-' | '*' | '/', left, right: next() };
    }
    return left;
  };
  const product = level(['*', '/'], () => unary());
  const sum = level(['+', '-'], product);
  const unary = (): Expr => {
    if (peek()?.text === '-') {
      i++;
      return { kind: 'unary', fn: 'neg', arg: unary() };
    }
    if (peek()?.text === '+') i++;
    return power();
  };
  const power = (): Expr => {
    const base = primary();
    if (peek()?.text !== '^') return base;
    i++;
    const sign = peek()?.text === '-' ? (i++, -1) : 1;
    const t = peek();
    if (t?.kind !== 'number') throw new ExpressionError('the exponent must be a number', t?.at ?? end);
    i++;
    return { kind: 'power', base, exponent: sign * Number(t.text) };
  };
  const primary = (): Expr => {
    const t = peek();
    if (!t) throw new ExpressionError('unexpected end of the expression', end);
    i++;
    if (t.kind === 'number') return { kind: 'number', value: Number(t.text) };
    if (t.text === '(') {
      const inner = sum();
      expect(')');
      return inner;
    }
    if (t.kind === 'name') {
      if (peek()?.text !== '(') return { kind: 'variable', name: t.text };
      if (!(t.text in unaryFns)) throw new ExpressionError(`unknown function '${t.text}' (${functionNames.join(', ')})`, t.at);
      i++;
      const arg = sum();
      expect(')');
      return { kind: 'unary', fn: t.text as UnaryFn, arg };
    }
    throw new ExpressionError(`unexpected '${t.text}'`, t.at);
  };

  if (tokens.length === 0) throw new ExpressionError('the expression is empty', 0);
  const tree = sum();
  const rest = peek();
  if (rest) throw new ExpressionError(`unexpected '${rest.text}'`, rest.at);
  return tree;
}

/** The variables of an expression, in order of first appearance. */
export function variables(expr: Expr): string[] {
  const found = new Set<string>();
  const walk = (e: Expr): void => {
    if (e.kind === 'variable') found.add(e.name);
    else if (e.kind === 'unary') walk(e.arg);
    else if (e.kind === 'power') walk(e.base);
    else if (e.kind === 'binary') {
      walk(e.left);
      walk(e.right);
    }
  };
  walk(expr);
  return [...found];
}

const binaryOps = {
  '+': (a: Tensor, b: Tensor) => a.add(b),
  '-': (a: Tensor, b: Tensor) => a.sub(b),
  '*': (a: Tensor, b: Tensor) => a.mul(b),
  '/': (a: Tensor, b: Tensor) => a.div(b),
};

/**
 * Evaluates the expression with autograd scalars (each variable a named leaf that requires grad, each number a
 * constant leaf) and returns the tape's graph after backward: every node's value and d f / d node.
 */
export function differentiate(expr: Expr, values: Record<string, number>): GraphJSON {
  const leaves = new Map<string, Tensor>();
  const build = (e: Expr): Tensor => {
    switch (e.kind) {
      case 'number':
        return named(tensor(e.value), String(e.value));
      case 'variable': {
        const value = values[e.name];
        if (value === undefined || !Number.isFinite(value)) throw new RangeError(`${e.name} needs a finite value`);
        if (!leaves.has(e.name)) leaves.set(e.name, named(tensor(value, { requiresGrad: true }), e.name));
        return leaves.get(e.name)!;
      }
      case 'unary':
        return unaryFns[e.fn](build(e.arg));
      case 'binary':
        return binaryOps[e.op](build(e.left), build(e.right));
      case 'power':
        return build(e.base).pow(e.exponent);
    }
  };
  const root = build(expr);
  if (!root.requiresGrad) return noGrad(() => exportGraph(root));
  return exportGraph(root, { backward: true });
}
