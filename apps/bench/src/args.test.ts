import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from './args';

describe('parseArgs', () => {
  it('defaults to every suite on node', () => {
    expect(parseArgs([])).toEqual({ suites: ['gemm', 'elementwise', 'train', 'inference'], runtime: 'node', quick: false });
  });

  it('reads every option, in both --flag value and --flag=value forms', () => {
    expect(parseArgs(['--suite', 'gemm', '--suite=elementwise', '--runtime=chromium', '--quick', '--json', 'out.json', '--report', 'r'])).toEqual({
      suites: ['gemm', 'elementwise'], runtime: 'chromium', quick: true, json: 'out.json', report: 'r',
    });
  });

  it('names the problem: unknown option, unknown suite or runtime, missing value', () => {
    expect(() => parseArgs(['--fast'])).toThrow(UsageError);
    expect(() => parseArgs(['--fast'])).toThrow(/unknown option '--fast'/);
    expect(() => parseArgs(['--suite', 'conv'])).toThrow(/unknown suite 'conv' \(suites: gemm, elementwise, train, inference\)/);
    expect(() => parseArgs(['--runtime', 'deno'])).toThrow(/unknown runtime 'deno'/);
    expect(() => parseArgs(['--json'])).toThrow(/--json needs a value/);
    expect(() => parseArgs(['--json', '--quick'])).toThrow(/--json needs a value/);
    expect(() => parseArgs(['--quick=yes'])).toThrow(/--quick takes no value/);
  });

  it('--threads N: a whole number >= 2', () => {
    expect(parseArgs(['--threads', '2', '--suite=gemm'])).toEqual({ suites: ['gemm'], runtime: 'node', quick: false, threads: 2 });
    expect(parseArgs(['--threads=3', '--runtime', 'chromium'])).toEqual({ suites: ['gemm', 'elementwise', 'train', 'inference'], runtime: 'chromium', quick: false, threads: 3 });
    for (const bad of ['1', '0', 'two', '2.5', '-2']) expect(() => parseArgs([`--threads=${bad}`])).toThrow(`--threads takes a whole number of threads >= 2, got '${bad}'`);
  });
});
