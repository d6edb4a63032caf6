// The timing harness. Fairness rules: every implementation is warmed up until V8 has tiered it up (at least
// 10 calls and 200 ms, or 2 calls when they take seconds: WebAssembly has no on-stack replacement, so a cold
// function stays in Liftoff for the rest of its call), the
// repetitions of all implementations are interleaved so drift hits them alike, each timed batch starts on a
// settled machine (see settle) and, when it holds several calls, with caches warmed by one untimed call; the
// median is reported with the interquartile spread.

export interface Runner {
  /** Called before a block of timed calls (e.g. to switch tfjs's backend). */
  activate?(): Promise<void> | void;
  /**
   * One call of the measured operation; its output must be consumed inside. Peers whose API is asynchronous
   * (ONNX Runtime's session.run, tfjs-layers' trainOnBatch) return a promise, awaited inside the timing as a
   * user would await it; synchronous runners pay nothing for this.
   */
  run(): void | Promise<void>;
}

export interface Timing {
  medianMs: number;
  p25Ms: number;
  p75Ms: number;
  samples: number;
}

export interface MeasureOptions {
  quick: boolean;
  /** Warm-up time after which two calls are enough (default 2 s). */
  warmCapMs?: number;
  /** The pause before each timed batch (see settle); default 10 ms, none in quick runs. */
  settleMs?: number;
}

/** Where settle leaves its count, so the compiler cannot drop its loop as unused. */
const settled = { turns: 0 };

/**
 * Lets the previous batch's leftovers settle before a timed batch: a pause for V8's background threads
 * (concurrent marking and sweeping, compilation) to finish. Otherwise they run during the next column's batch, on
 * a core a multi-threaded column needs: on 2 cores, GEMM 512 on two threads ran at 34 GFLOP/s after a quiet pause
 * and at 25 right after JavaScript that allocates (as the js and tfjs-cpu columns do), where ONNX Runtime's
 * two-thread column runs in a process or page of its own. The pause is busy, as a training loop is: after 10 ms
 * of idle the VM's second core answered a worker thread's wake-ups slowly for many milliseconds (a 2-thread GEMM
 * of the MNIST MLP took 1.2 ms after an idle pause, 0.55 ms after a busy one, 0.9 ms on one thread), which made
 * the two-thread training steps no faster than one thread in a run. (Forcing a garbage collection here as well
 * made the small, JavaScript-heavy cases several times slower in a trial, tfjs's tiny training step 6.7x, so it
 * does not.)
 */
export function settle(ms: number): void {
  const end = performance.now() + ms;
  let turns = 0;
  // Busy on purpose (see above), and reading the clock only every 2^16 turns: each read allocates a number, and
  // a read per turn put 4 MB of garbage in the young generation per pause, which evicted the caches the next batch
  // ran on (the MNIST-MLP step right after such a pause took 2.71 ms on one thread, after one that allocates
  // nothing 2.46, back to back 2.43; on two threads 1.62-1.94 against 1.38).
  while (performance.now() < end) for (let i = 0; i < 1 << 16; i++) turns++;
  settled.turns += turns;
}

function quantile(sorted: number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

/** Times each runner; returns one Timing per runner, in order. */
export async function measure(runners: Runner[], { quick, warmCapMs = 2000, settleMs = quick ? 0 : 10 }: MeasureOptions): Promise<Timing[]> {
  const warmMs = quick ? 50 : 200;
  const sampleMs = quick ? 2 : 10;
  const reps = quick ? 5 : 21;
  const batches: number[] = [];
  for (const runner of runners) {
    await runner.activate?.();
    let calls = 0;
    const start = performance.now();
    // Ten calls, or two for calls slower than a second between them (tiered up after the first: a 4-second tfjs
    // training step need not run ten times before timing).
    while (calls < 2 || (calls < 10 && performance.now() - start < warmCapMs) || performance.now() - start < warmMs) {
      const pending = runner.run();
      if (pending) await pending;
      calls++;
    }
    const perCall = (performance.now() - start) / calls;
    batches.push(Math.max(1, Math.round(sampleMs / Math.max(perCall, 1e-6))));
  }
  const samples: number[][] = runners.map(() => []);
  for (let rep = 0; rep < reps; rep++) {
    for (let j = 0; j < runners.length; j++) {
      const i = (j + rep) % runners.length; // rotate the order so no runner always goes first
      const runner = runners[i]!;
      if (settleMs > 0) settle(settleMs);
      await runner.activate?.();
      const batch = batches[i]!;
      if (batch > 1) {
        // One untimed call first: the columns between two batches of this one have evicted its data from the
        // caches, which each step of a loop finds warm (PyTorch, in a process of its own, times back to back).
        // The MNIST-MLP step timed 2.44-2.53 ms so, 2.52-2.61 without, jax-js's 4.95-5.25 against 5.29-5.77.
        const pending = runner.run();
        if (pending) await pending;
      }
      const start = performance.now();
      for (let b = 0; b < batch; b++) {
        const pending = runner.run();
        if (pending) await pending;
      }
      samples[i]!.push((performance.now() - start) / batch);
    }
  }
  return samples.map((s) => {
    const sorted = [...s].sort((a, b) => a - b);
    return { medianMs: quantile(sorted, 0.5), p25Ms: quantile(sorted, 0.25), p75Ms: quantile(sorted, 0.75), samples: s.length };
  });
}

/** Largest |got - want| relative to (|want| + 1e-3 max|want|); <= 1e-3 means the two computed the same thing. */
export function disagreement(got: ArrayLike<number>, want: ArrayLike<number>): number {
  if (got.length !== want.length) return Infinity;
  let scale = 0;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]!));
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const d = Math.abs(got[i]! - want[i]!) / (Math.abs(want[i]!) + 1e-3 * scale + 1e-30);
    if (Number.isNaN(d)) return Number.NaN;
    worst = Math.max(worst, d);
  }
  return worst;
}
