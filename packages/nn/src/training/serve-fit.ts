// The worker's half of training off the page's thread: serveFit builds the run from the page's config (a model,
// data and an optimiser cannot cross to a worker; plain data can), runs fit's loop, reports as it goes and hands
// the trained weights back. fitInWorker is the page's half.
import { describeValue, ready } from '@backprop/autograd';
import { Module } from '../module';
import { saveSafetensors } from '../safetensors';
import type { BatchLogs, History } from './callback';
import { fitSteps, type FitOptions } from './fit';
import { checkPort, type FitReport, type FitRequest, onMessage } from './worker-messages';

/** What serveFit's setup returns: the model to train and fit's options for it. */
export interface WorkerFit extends FitOptions {
  model: Module;
}

/** What serveFit hands its setup besides the page's config. */
export interface ServeFitTools {
  /** Sends data to the page's `onReport` (a snapshot of the model, say); the buffers in `transfer` move rather than copy. */
  report: (data: unknown, transfer?: ArrayBuffer[]) => void;
}

/** Builds a run from the page's config; it may be async (fetching data, say). */
export type ServeFitSetup<Config = unknown> = (config: Config, tools: ServeFitTools) => WorkerFit | Promise<WorkerFit>;

/** How long fit runs between returns to the worker's event loop (a stop request waits at most this) and batch reports. */
const SLICE_MS = 25;

/**
 * Serves fitInWorker's requests in this worker, one run at a time: for each, `setup(config)` gives the model and
 * fit's options, and the page gets every epoch's logs, the latest batch's logs about every 25 ms, whatever setup
 * reports, and at the end the history and the trained weights (safetensors bytes). A stop request ends training
 * after the batch in progress, as a callback's `stopTraining` does; the weights still come back. `port` is the
 * worker's global scope by default (a Web Worker); in Node pass worker_threads' `parentPort`.
 */
export function serveFit<Config = unknown>(setup: ServeFitSetup<Config>, port: unknown = workerScope()): void {
  if (typeof setup !== 'function') throw new TypeError(`serveFit: setup must be a function (config) => ({ model, train, loss, optimizer, epochs, ... }), got ${describeValue(setup)}`);
  checkPort('serveFit', 'port', port, "a worker's global scope or worker_threads' parentPort (call serveFit inside a worker)");
  const post = (message: FitReport, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer as never[]);
  let running: { job: number; stop: boolean } | undefined;

  onMessage(port, (data) => {
    const request = data as FitRequest;
    // A stop always follows its job's request (one port keeps the order); one for a finished job finds nothing to stop.
    if (request?.type === 'backprop:stop') {
      if (running?.job === request.job) running.stop = true;
    } else if (request?.type === 'backprop:fit') {
      if (running) {
        post({ type: 'backprop:error', job: request.job, name: 'Error', message: `fitInWorker: this worker is still training (job ${running.job}); await that job's result, or stop() it, before starting another` });
        return;
      }
      const run = { job: request.job, stop: false };
      running = run;
      train(run, request.config).then(
        ({ history, weights }) => post({ type: 'backprop:done', job: run.job, history, weights }, [weights.buffer as ArrayBuffer]),
        (error: unknown) => {
          const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
          post({ type: 'backprop:error', job: run.job, name, message });
        },
      ).finally(() => {
        running = undefined;
      });
    }
  });

  async function train(run: { job: number; stop: boolean }, config: unknown): Promise<{ history: History; weights: Uint8Array }> {
    await ready();
    const tools: ServeFitTools = { report: (data, transfer = []) => post({ type: 'backprop:report', job: run.job, data }, transfer) };
    const result = (await setup(config as Config, tools)) as WorkerFit | null;
    if (result === null || typeof result !== 'object' || !(result.model instanceof Module)) {
      throw new TypeError(`serveFit: setup must return { model, ...fit's options } with model a Module, got ${describeValue(result)}`);
    }
    const { model, ...options } = result;
    const steps = fitSteps(model, options);
    let sliceStart = performance.now();
    // The latest batch's logs not yet reported: a slice that ends on an epoch's logs still reports its last batch.
    let unreported: BatchLogs | undefined;
    let next = steps.next();
    while (!next.done) {
      const logs = next.value;
      if ('batch' in logs) unreported = logs;
      else post({ type: 'backprop:epoch', job: run.job, logs });
      if (performance.now() - sliceStart >= SLICE_MS) {
        if (unreported) post({ type: 'backprop:batch', job: run.job, logs: unreported });
        unreported = undefined;
        await nextTask();
        sliceStart = performance.now();
      }
      next = steps.next(run.stop);
    }
    return { history: next.value, weights: saveSafetensors(model.stateDict()) };
  }
}

/** The global scope of a Web Worker, or undefined elsewhere (a page's window also has postMessage, for other uses). */
function workerScope(): unknown {
  const scope = globalThis as { WorkerGlobalScope?: abstract new () => unknown };
  return scope.WorkerGlobalScope !== undefined && globalThis instanceof scope.WorkerGlobalScope ? globalThis : undefined;
}

/** Resolves in a later task, after the messages already queued (a MessageChannel is not throttled as setTimeout is). */
function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(undefined);
  });
}
