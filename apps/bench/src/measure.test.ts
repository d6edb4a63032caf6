import { PerformanceObserver } from 'node:perf_hooks';
import { describe, expect, it, vi } from 'vitest';
import { disagreement, measure, settle } from './measure';

describe('disagreement', () => {
  it('is 0 for equal outputs and relative to the magnitude otherwise', () => {
    expect(disagreement([1, 2, 3], [1, 2, 3])).toBe(0);
    expect(disagreement([1.001, 2, 3], [1, 2, 3])).toBeCloseTo(0.001 / (1 + 0.003), 6);
    expect(disagreement([1, 2], [1, 2, 3])).toBe(Infinity);
    expect(disagreement([Number.NaN, 2], [1, 2])).toBeNaN();
  });
});

describe('measure', () => {
  it('warms every runner up (at least 10 calls), interleaves repetitions and orders the quartiles', async () => {
    const calls = [0, 0];
    const order: number[] = [];
    const runners = [0, 1].map((i) => ({ run: () => { calls[i]!++; }, activate: () => { order.push(i); } }));
    const [a, b] = await measure(runners, { quick: true });
    expect(calls[0]).toBeGreaterThanOrEqual(10 + 5);
    expect(calls[1]).toBeGreaterThanOrEqual(10 + 5);
    // one activation per warm-up and per repetition, alternating runners across repetitions
    expect(order.slice(2, 6)).toEqual([0, 1, 1, 0]);
    for (const t of [a!, b!]) {
      expect(t.samples).toBe(5);
      expect(t.p25Ms).toBeLessThanOrEqual(t.medianMs);
      expect(t.medianMs).toBeLessThanOrEqual(t.p75Ms);
    }
  });
});

describe('measure warms the caches before a batch', () => {
  it('makes one untimed call after each activation when a batch holds several calls', async () => {
    // On a clock that only the calls move (so a loaded host changes nothing): the first call after an activation
    // takes 5 ms, the others 0.01 ms. Timed, the first would add 5 ms to a batch of about 180 calls.
    let clock = 0;
    let first = false;
    const now = vi.spyOn(performance, 'now').mockImplementation(() => clock);
    try {
      const runner = { activate: () => { first = true; }, run: () => { clock += first ? 5 : 0.01; first = false; } };
      const [t] = await measure([runner], { quick: true });
      expect(t!.medianMs).toBeCloseTo(0.01, 6);
    } finally {
      now.mockRestore();
    }
  });
});

describe('measure with slow calls', () => {
  it('warms a runner whose calls take long for two calls (or the warm-up time), not ten', async () => {
    let calls = 0;
    const slow = { run: () => { calls++; settle(15); } }; // settle: a busy 15 ms
    await measure([slow], { quick: true, warmCapMs: 20 });
    // Warm-up: past 20 ms after two calls, then up to the 50 ms quick warm-up (at most 4 calls); then 5 timed.
    expect(calls).toBeGreaterThanOrEqual(2 + 5);
    expect(calls).toBeLessThanOrEqual(4 + 5);
  });
});

describe('measure with asynchronous peers', () => {
  it('awaits a runner that returns a promise inside its timing', async () => {
    let finished = 0;
    const slow = { run: () => new Promise<void>((resolve) => setTimeout(() => { finished++; resolve(); }, 2)) };
    const [t] = await measure([slow], { quick: true });
    expect(finished).toBeGreaterThanOrEqual(10 + 5);
    expect(t!.medianMs).toBeGreaterThanOrEqual(1.5);
  });
});

describe('measure settles before each timed batch', () => {
  it('pauses before every timed batch, never inside one, and not in quick runs unless asked', async () => {
    let lastCall = 0;
    let gaps: number[] = []; // from the last call before each activation to the activation
    const runner = { run: () => { lastCall = performance.now(); }, activate: () => { gaps.push(performance.now() - lastCall); } };
    await measure([runner], { quick: true, settleMs: 20 });
    // The warm-up's activation, then one per timed batch (five), each at least 20 ms after the call before it.
    expect(gaps).toHaveLength(6);
    for (const gap of gaps.slice(1)) expect(gap).toBeGreaterThanOrEqual(19);
    gaps = [];
    await measure([runner], { quick: true });
    // No pause: a gap as long may happen (the host is busy) but not before every batch.
    expect(gaps.slice(1).filter((gap) => gap >= 19).length).toBeLessThan(5);
  });

  it('pauses busy, not idle: nothing else runs during a pause (after an idle one a VM core is slow to wake workers)', async () => {
    const pauses: [number, number][] = []; // from the last call of a batch to the next batch's activation
    let lastCall = 0;
    const runner = { run: () => { lastCall = performance.now(); }, activate: () => { if (lastCall > 0) pauses.push([lastCall, performance.now()]); } };
    // A task that reschedules itself runs whenever the event loop gets a turn; a busy pause gives it none.
    const ticks: number[] = [];
    let ticking = true;
    const tick = (): void => {
      ticks.push(performance.now());
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    await measure([runner], { quick: true, settleMs: 20 });
    ticking = false;
    expect(pauses).toHaveLength(5);
    expect(ticks.filter((t) => pauses.some(([from, to]) => t > from && t < to)).length).toBe(0);
  });

  it('pauses without filling the young generation (a clock read per turn did, evicting the caches of the next batch)', async () => {
    settle(20); // tiered up
    const collections: number[] = [];
    const observer = new PerformanceObserver((list) => collections.push(...list.getEntries().map((e) => e.startTime)));
    observer.observe({ entryTypes: ['gc'] });
    const from = performance.now();
    settle(200);
    const to = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 20)); // the observer hears of collections in a later task
    observer.disconnect();
    expect(to - from).toBeGreaterThanOrEqual(199);
    // A read per turn allocated 76 MB in 200 ms here: 81 scavenges. At most one may come from garbage made before.
    expect(collections.filter((t) => t >= from && t <= to).length).toBeLessThanOrEqual(1);
  });
});
