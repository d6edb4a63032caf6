import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { BatchLogs } from './callback';
import { fitInWorker } from './fit-in-worker';
import { serveFit } from './serve-fit';
import { blobsRun } from './test-helpers';

describe('serveFit', () => {
  it("reports a slice's last batch even when the slice ends on an epoch's logs", async () => {
    // Both halves on one thread over a channel. Each epoch's end takes 30 ms (a callback waits), so every 25 ms
    // slice ends on an epoch's logs, after the epoch's 8 quick batches.
    const { port1, port2 } = new MessageChannel();
    try {
      const busy = (ms: number): void => { const end = performance.now() + ms; while (performance.now() < end); };
      serveFit(() => ({ ...blobsRun({ seed: 4, epochs: 3 }), callbacks: [{ onEpochEnd: () => busy(30) }] }), port2);
      const batches: BatchLogs[] = [];
      const { history } = await fitInWorker(port1, {}, { onBatch: (logs: BatchLogs) => batches.push(logs) }).result;
      expect(history.epochs).toHaveLength(3);
      // Each epoch's last batch (8 of them: 120 samples by 16) is reported once; a host that stalls a batch past a
      // slice's end may add reports of others.
      expect(batches.filter((b) => b.batch === 7).map((b) => b.epoch)).toEqual([1, 2, 3]);
    } finally {
      port1.close();
      port2.close();
    }
  });
});
