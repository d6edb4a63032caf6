import { describe, expect, it } from 'vitest';
import type { Environment } from './env';
import { markdown, svgChart } from './report';
import type { Result } from './suites/run';

const env: Environment = {
  runtime: 'node', cpu: 'Test CPU', cores: 2, node: 'v20', v8: '11', flags: [], wasm: { simd: true, relaxedSimd: false, backpropLevel: 'simd' }, date: '',
};
const row = (impl: Result['impl'], gflops: number): Result => ({
  suite: 'gemm', case: 'gemm 64x64x64', impl, runtime: 'node', medianMs: 1, p25Ms: 1, p75Ms: 1, gflops, disagreement: 0,
});

describe('report', () => {
  it('tabulates rates with the ratio backprop / peer', () => {
    const table = markdown(env, [row('backprop', 60), row('tfjs-wasm', 40)]);
    expect(table).toContain('| case | backprop | tfjs-wasm |');
    expect(table).toContain('| gemm 64x64x64 | 60.0 | 40.0 (1.50x) |');
    expect(table).toContain('Test CPU, 2 cores');
  });

  it('draws one bar per implementation and case, scaled to the fastest', () => {
    const svg = svgChart('gemm', [row('backprop', 60), row('tfjs-wasm', 30)]);
    expect(svg.match(/<rect x="330"/g)).toHaveLength(2);
    expect(svg).toContain('width="420.0"');
    expect(svg).toContain('width="210.0"');
  });

  it('colours every column, the threaded ones a darker shade of their one-thread colour', () => {
    const impls = ['backprop', 'backprop-relaxed', 'backprop-t2', 'backprop-t4', 'ort-wasm', 'ort-wasm-t2', 'tfjs-wasm', 'pytorch'] as const;
    const svg = svgChart('gemm', impls.map((impl) => row(impl, 10)));
    const fills = [...svg.matchAll(/<rect x="330" y="\d+" width="[\d.]+" height="\d+" fill="(#[0-9a-f]{6})"/g)].map((m) => m[1]);
    expect(fills).toEqual(['#d9480f', '#f08c00', '#a61e4d', '#a61e4d', '#2f9e44', '#1b5e20', '#1971c2', '#212529']);
  });

  it('reports an implementation that cannot run a case with its error, outside the ratios and the chart', () => {
    const failed: Result = { ...row('tfjs-wasm', 0), gflops: undefined, medianMs: NaN, error: "Kernel 'X' not registered | for backend 'wasm'" };
    const table = markdown(env, [row('backprop', 60), failed]);
    expect(table).toContain("| gemm 64x64x64 | 60.0 | cannot run: Kernel 'X' not registered / for backend 'wasm' |");
    const svg = svgChart('gemm', [row('backprop', 60), failed]);
    expect(svg.match(/<rect x="330"/g)).toHaveLength(1);
    expect(svg).toContain('width="420.0"');
  });
});
