// The playground's training, off the page's thread. The page's 'reset' builds a fresh run and gets its first
// snapshot; the page then trains it with fitInWorker (play: until stopped; step: one epoch), and this worker's
// serveFit reports a snapshot about every 30 ms and when training stops.
import { ready } from '@backprop/autograd';
import { numThreads } from '@backprop/kernels';
import { serveFit } from '@backprop/nn';
import { type Point } from './datasets';
import { type PlaygroundConfig, PlaygroundTrainer, type Snapshot } from './trainer';

export type Command = { type: 'reset'; config: PlaygroundConfig };
/** threads: how many threads the worker's kernels may use (every core when the page is cross-origin isolated). */
export type Report = { type: 'reset'; snapshot: Snapshot; points: Point[][]; threads: number } | { type: 'error'; message: string };
/** What the page sends fitInWorker for a run of `epochs` more epochs. */
export interface TrainRequest {
  epochs: number;
}

const SNAPSHOT_MS = 30;
let trainer: PlaygroundTrainer | null = null;

/** The snapshot's buffers, moved to the page rather than copied. */
const buffersOf = (snapshot: Snapshot): ArrayBuffer[] => [snapshot.boundary.buffer, ...snapshot.neurons.flat().map((n) => n.buffer)] as ArrayBuffer[];

async function reset({ data }: MessageEvent<Command>): Promise<void> {
  if (data?.type !== 'reset') return; // fitInWorker's requests are serveFit's
  await ready();
  try {
    trainer?.dispose();
    trainer = null;
    trainer = new PlaygroundTrainer(data.config);
    const snapshot = trainer.snapshot();
    postMessage({ type: 'reset', snapshot, points: [trainer.train, trainer.test], threads: numThreads() } satisfies Report, { transfer: buffersOf(snapshot) });
  } catch (error) {
    postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) } satisfies Report);
  }
}
addEventListener('message', (event: MessageEvent<Command>) => void reset(event));

serveFit(({ epochs }: TrainRequest, { report }) => {
  if (!trainer) throw new Error('the playground has no network to train (its settings were not valid)');
  const run = trainer;
  const send = (): void => {
    const snapshot = run.snapshot();
    report(snapshot, buffersOf(snapshot));
  };
  let last = performance.now();
  return run.fitRun(epochs, [{
    onEpochEnd: () => {
      if (performance.now() - last < SNAPSHOT_MS) return;
      send();
      last = performance.now();
    },
    onTrainEnd: send,
  }]);
});
