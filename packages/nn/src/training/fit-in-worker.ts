// The page's half of training off its thread: fitInWorker asks a worker that called serveFit to train, passes its
// progress to the page's handlers and resolves with the history and the trained weights. The page never blocks, so
// it stays responsive however long training takes.
import { describeValue } from '@backprop/autograd';
import type { BatchLogs, EpochLogs, History } from './callback';
import { checkPort, type FitReport, type FitRequest, onFailure, onMessage } from './worker-messages';

/** What fitInWorker calls as training goes. */
export interface FitInWorkerEvents {
  /** Every epoch's logs, as fit's callbacks see them. */
  onEpoch?(logs: EpochLogs): void;
  /** The latest batch's logs, about every 25 ms of training. */
  onBatch?(logs: BatchLogs): void;
  /** Whatever the worker's setup passed to `report`. */
  onReport?(data: unknown): void;
}

export interface FitInWorkerResult {
  history: History;
  /** The trained model's state dict as safetensors bytes: `model.loadStateDict(loadSafetensors(weights))`, or save them. */
  weights: Uint8Array;
}

/** A run in a worker. */
export interface FitJob {
  /** Settles when training ends: the history and weights, or the worker's error (its name and message kept). */
  readonly result: Promise<FitInWorkerResult>;
  /** Ends training after the batch in progress; `result` still resolves with the weights. Does nothing once settled. */
  stop(): void;
}

let lastJob = 0;

/**
 * Trains in `worker` (a Web Worker, or a worker_threads Worker in Node) whose script called serveFit: its setup gets
 * `config` (plain data: numbers, strings, arrays, typed arrays, objects) and builds the model, data and optimiser.
 */
export function fitInWorker(worker: unknown, config?: unknown, events: FitInWorkerEvents = {}): FitJob {
  checkPort('fitInWorker', 'worker', worker, 'a Worker whose script calls serveFit');
  if (events === null || typeof events !== 'object') throw new TypeError(`fitInWorker: events must be an object of handlers (onEpoch, onBatch, onReport), got ${describeValue(events)}`);
  const unknownHandlers = Object.keys(events).filter((k) => !['onEpoch', 'onBatch', 'onReport'].includes(k));
  if (unknownHandlers.length > 0) throw new TypeError(`fitInWorker: unknown event handler ${unknownHandlers.map((k) => `'${k}'`).join(', ')}; the handlers are onEpoch, onBatch and onReport`);
  for (const [name, handler] of Object.entries(events)) {
    if (handler !== undefined && typeof handler !== 'function') throw new TypeError(`fitInWorker: ${name} must be a function, got ${describeValue(handler)}`);
  }
  const job = ++lastJob;
  const send = (request: FitRequest): void => worker.postMessage(request);
  let settled = false;
  let stopListening = (): void => {};
  const result = new Promise<FitInWorkerResult>((resolve, reject) => {
    const settle = (outcome: () => void): void => {
      settled = true;
      stopListening();
      outcome();
    };
    const stopMessages = onMessage(worker, (data) => {
      const report = data as FitReport;
      if (report?.job !== job) return;
      if (report.type === 'backprop:epoch') events.onEpoch?.(report.logs);
      else if (report.type === 'backprop:batch') events.onBatch?.(report.logs);
      else if (report.type === 'backprop:report') events.onReport?.(report.data);
      else if (report.type === 'backprop:done') settle(() => resolve({ history: report.history, weights: report.weights }));
      else if (report.type === 'backprop:error') settle(() => reject(Object.assign(new Error(report.message), { name: report.name })));
    });
    const stopFailures = onFailure(worker, (reason) => settle(() => reject(new Error(`fitInWorker: ${reason} before training finished`))));
    stopListening = () => {
      stopMessages();
      stopFailures();
    };
  });
  try {
    send({ type: 'backprop:fit', job, config });
  } catch (error) {
    stopListening();
    throw new TypeError(`fitInWorker: the config cannot be sent to a worker (${error instanceof Error ? error.message : String(error)}); send plain data and build the model, data and optimiser in the worker's setup`);
  }
  return {
    result,
    stop: () => {
      if (!settled) send({ type: 'backprop:stop', job });
    },
  };
}
