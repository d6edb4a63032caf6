// The playground's training loop, off the page's thread: epochs run in slices of about 30 ms, each followed by a
// snapshot, so the page stays responsive and pause/step/reset messages are handled between slices.
import { ready } from '@backprop/autograd';
import { type Point } from './datasets';
import { type PlaygroundConfig, PlaygroundTrainer, type Snapshot } from './trainer';

export type Command = { type: 'reset'; config: PlaygroundConfig } | { type: 'play' } | { type: 'pause' } | { type: 'step' };
export type Report = { type: 'snapshot'; snapshot: Snapshot; running: boolean; points: Point[][] } | { type: 'error'; message: string };

let trainer: PlaygroundTrainer | null = null;
let running = false;
let sentPoints = false;

function report(): void {
  if (!trainer) return;
  const snapshot = trainer.snapshot();
  const points = sentPoints ? [] : [trainer.train, trainer.test];
  sentPoints = true;
  const message: Report = { type: 'snapshot', snapshot, running, points };
  postMessage(message, { transfer: [snapshot.boundary.buffer, ...snapshot.neurons.flat().map((n) => n.buffer)] as ArrayBuffer[] });
}

function fail(error: unknown): void {
  running = false;
  postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) } satisfies Report);
}

function slice(): void {
  if (!running || !trainer) return;
  try {
    const start = performance.now();
    do trainer.trainEpoch();
    while (performance.now() - start < 30);
    report();
  } catch (error) {
    fail(error);
    return;
  }
  setTimeout(slice, 0);
}

onmessage = async ({ data }: MessageEvent<Command>) => {
  await ready();
  try {
    if (data.type === 'reset') {
      running = false;
      trainer?.dispose();
      trainer = null;
      trainer = new PlaygroundTrainer(data.config);
      sentPoints = false;
      report();
    } else if (data.type === 'play' && !running) {
      running = true;
      slice();
    } else if (data.type === 'pause') {
      running = false;
      report();
    } else if (data.type === 'step' && trainer) {
      running = false;
      trainer.trainEpoch();
      report();
    }
  } catch (error) {
    fail(error);
  }
};
