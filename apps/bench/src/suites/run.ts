import { Unsupported, type Impl, type ImplName, type Prepared } from '../cases';
import type { External } from '../external';
import { disagreement, measure, type Timing } from '../measure';

export interface Result {
  suite: string;
  case: string;
  impl: ImplName;
  runtime: 'node' | 'chromium';
  medianMs: number;
  p25Ms: number;
  p75Ms: number;
  gflops?: number;
  gbps?: number;
  samplesPerSec?: number;
  /** Largest relative difference from backprop's output (<= 1e-3: the same computation). */
  disagreement: number;
  native?: boolean;
  /** Why this implementation cannot run the case at all (its own error); the times are then NaN. */
  error?: string;
}

export interface CaseRun {
  suite: string;
  name: string;
  prepare(impl: Impl): Prepared | undefined;
  /** Work per call: the rates derived from the median time. */
  rates(ms: number): Pick<Result, 'gflops' | 'gbps' | 'samplesPerSec'>;
  /** The case as data, for peers in other processes. */
  spec?: () => Record<string, unknown>;
}

/** Prepares a case on every implementation, times them together and checks each output against backprop's. */
export async function runCase(run: CaseRun, impls: Impl[], quick: boolean, externals: External[] = []): Promise<Result[]> {
  const failed: Result[] = [];
  const prepared = impls.map((impl) => {
    try {
      return { impl, p: run.prepare(impl) };
    } catch (error) {
      if (!(error instanceof Unsupported)) throw error;
      failed.push({ suite: run.suite, case: run.name, impl: impl.name, runtime: 'node', medianMs: NaN, p25Ms: NaN, p75Ms: NaN, disagreement: 0, error: error.message });
      return { impl, p: undefined };
    }
  }).filter((e): e is { impl: Impl; p: Prepared } => e.p !== undefined);
  const timings: Timing[] = await measure(prepared.map((e) => e.p), { quick });
  const reference = prepared.find((e) => e.impl.name === 'backprop')?.p.output();
  const results = prepared.map(({ impl, p }, i): Result => {
    const t = timings[i]!;
    return {
      suite: run.suite,
      case: run.name,
      impl: impl.name,
      runtime: 'node',
      medianMs: t.medianMs,
      p25Ms: t.p25Ms,
      p75Ms: t.p75Ms,
      ...run.rates(t.medianMs),
      disagreement: reference ? disagreement(p.output(), reference) : 0,
      ...(impl.native ? { native: true } : {}),
    };
  });
  if (run.spec && externals.length > 0) {
    const spec = run.spec();
    for (const external of externals) {
      const measured = external.run(run.suite, spec, quick);
      if (!measured) continue;
      const { timing, output } = measured;
      results.push({
        suite: run.suite, case: run.name, impl: external.name, runtime: 'node', medianMs: timing.medianMs, p25Ms: timing.p25Ms, p75Ms: timing.p75Ms,
        ...run.rates(timing.medianMs), disagreement: reference ? disagreement(output, reference) : 0, ...(external.native ? { native: true } : {}),
      });
    }
  }
  for (const { p } of prepared) p.dispose();
  return [...results, ...failed];
}
