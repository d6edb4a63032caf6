import type { Environment } from './env';
import type { Result } from './suites/run';

function rate(r: Result): number {
  return r.gflops ?? r.gbps ?? r.samplesPerSec ?? 0;
}

function unit(results: Result[]): string {
  const first = results[0];
  return first?.gflops !== undefined ? 'GFLOP/s' : first?.gbps !== undefined ? 'GB/s' : 'samples/s';
}

function byCase(results: Result[]): Map<string, Result[]> {
  const cases = new Map<string, Result[]>();
  for (const r of results) cases.set(r.case, [...(cases.get(r.case) ?? []), r]);
  return cases;
}

/** One Markdown table per suite: each implementation's rate, and its ratio to backprop's. */
export function markdown(env: Environment, results: Result[]): string {
  const runtime = env.chromium ? `Chromium ${env.chromium} (a page on localhost, driven by playwright-core from Node ${env.node})` : `Node ${env.node} (V8 ${env.v8})`;
  const lines = [`Machine: ${env.cpu}, ${env.cores} cores; ${runtime}; flags ${env.flags.join(' ') || 'none'}; the default build (autograd, so the train suite) ${env.wasm.backpropLevel}; the backprop column of gemm and elementwise is pinned to SIMD128.`, ''];
  for (const suite of [...new Set(results.map((r) => r.suite))]) {
    const rows = results.filter((r) => r.suite === suite);
    const impls = [...new Set(rows.map((r) => r.impl))];
    lines.push(`### ${suite} (${unit(rows)}, median; ratio = backprop / peer)`, '');
    lines.push(`| case | ${impls.map((i) => (rows.find((r) => r.impl === i)?.native ? `${i} (native)` : i)).join(' | ')} |`);
    lines.push(`| --- | ${impls.map(() => '---').join(' | ')} |`);
    for (const [name, group] of byCase(rows)) {
      const base = group.find((r) => r.impl === 'backprop');
      const cells = impls.map((impl) => {
        const r = group.find((g) => g.impl === impl);
        if (!r) return '';
        if (r.error !== undefined) return `cannot run: ${r.error.replace(/\|/g, '/')}`;
        const ratio = base && impl !== 'backprop' ? ` (${(rate(base) / rate(r)).toFixed(2)}x)` : '';
        const perCall = r.suite === 'train' ? ` (${(r.medianMs * 1000).toFixed(1)} us)` : '';
        return `${rate(r).toFixed(rate(r) >= 100 ? 0 : 1)}${perCall}${ratio}`;
      });
      lines.push(`| ${name} | ${cells.join(' | ')} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

const colors: Record<string, string> = {
  backprop: '#d9480f', 'backprop-relaxed': '#f08c00', 'tfjs-wasm': '#1971c2', 'tfjs-cpu': '#74c0fc',
  'ort-wasm': '#2f9e44', 'jax-js': '#9c36b5', js: '#868e96', pytorch: '#212529', roof: '#ced4da',
};
/** A column on N threads (backprop-tN, ort-wasm-tN) in a darker shade of its one-thread column's colour. */
const threadedColors: Record<string, string> = { backprop: '#a61e4d', 'ort-wasm': '#1b5e20' };
const colorOf = (impl: string): string => colors[impl] ?? threadedColors[impl.replace(/-t\d+$/, '')] ?? '#000';

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A horizontal grouped bar chart of one suite's rates. */
export function svgChart(suite: string, results: Result[]): string {
  const rows = results.filter((r) => r.suite === suite);
  const impls = [...new Set(rows.map((r) => r.impl))];
  const cases = [...byCase(rows)];
  const max = Math.max(...rows.filter((r) => r.error === undefined).map(rate), 1e-9);
  const bar = 12;
  const labelWidth = 330;
  const plot = 420;
  const groupHeight = impls.length * bar + 14;
  const height = 40 + cases.length * groupHeight + 20 * Math.ceil(impls.length / 4);
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${labelWidth + plot + 90}" height="${height}" font-family="sans-serif" font-size="11">`];
  out.push(`<text x="4" y="16" font-size="14" font-weight="bold">${escape(`${suite} (${unit(rows)}, higher is better)`)}</text>`);
  cases.forEach(([name, group], gi) => {
    const y0 = 30 + gi * groupHeight;
    out.push(`<text x="4" y="${y0 + groupHeight / 2}">${escape(name)}</text>`);
    impls.forEach((impl, ii) => {
      const r = group.find((g) => g.impl === impl);
      if (!r || r.error !== undefined) return;
      const w = (rate(r) / max) * plot;
      const y = y0 + ii * bar;
      out.push(`<rect x="${labelWidth}" y="${y}" width="${w.toFixed(1)}" height="${bar - 2}" fill="${colorOf(impl)}"/>`);
      out.push(`<text x="${labelWidth + w + 4}" y="${y + bar - 3}">${rate(r).toFixed(1)}</text>`);
    });
  });
  impls.forEach((impl, i) => {
    const x = 4 + (i % 4) * 180;
    const y = height - 8 - 20 * Math.floor((impls.length - 1 - i) / 4);
    out.push(`<rect x="${x}" y="${y - 10}" width="10" height="10" fill="${colorOf(impl)}"/><text x="${x + 14}" y="${y}">${escape(impl)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}
