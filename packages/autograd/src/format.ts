import type { Tensor } from './tensor';

const MAX_SHOWN = 1000;

/** PyTorch-like printing: tensor([[1.0000, 2.0000], ...], requiresGrad=true). */
export function format(t: Tensor): string {
  const values = t.values();
  const isInt = t.dtype === 'int32';
  const summarise = t.size > MAX_SHOWN;
  const cell = (v: number): string => (isInt ? String(v) : Number.isFinite(v) ? v.toFixed(4) : String(v));
  let at = 0;
  const build = (dim: number, indent: string): string => {
    if (dim === t.rank) return cell(values[at++]!);
    const n = t.shape[dim]!;
    const parts: string[] = [];
    for (let i = 0; i < n; i++) {
      if (summarise && n > 6 && i === 3) {
        parts.push('...');
        const skip = n - 6;
        at += skip * (t.size / t.shape.slice(0, dim + 1).reduce((a, b) => a * b, 1));
        i += skip - 1;
        continue;
      }
      parts.push(build(dim + 1, `${indent} `));
    }
    const sep = dim === t.rank - 1 ? ', ' : `,\n${indent} `;
    return `[${parts.join(sep)}]`;
  };
  const body = build(0, '       ');
  const extras = [
    ...(isInt ? ["dtype='int32'"] : []),
    ...(t.node ? [`gradFn=${t.node.op}`] : t.requiresGrad ? ['requiresGrad=true'] : []),
  ];
  return `tensor(${body}${extras.length > 0 ? `, ${extras.join(', ')}` : ''})`;
}
