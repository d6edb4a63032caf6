// What a page and a worker running fit say to each other (fitInWorker on the page, serveFit in the worker), and
// how either side listens: a Web Worker and a worker's global scope are EventTargets, Node's worker_threads Worker
// and parentPort are EventEmitters.
import { describeValue } from '@backprop/autograd';
import type { BatchLogs, EpochLogs, History } from './callback';

/** Page to worker. Every message names its job, so replies to an earlier job are never mistaken for this one's. */
export type FitRequest = { type: 'backprop:fit'; job: number; config: unknown } | { type: 'backprop:stop'; job: number };

/** Worker to page. `weights` is the trained model's state dict as safetensors bytes. */
export type FitReport =
  | { type: 'backprop:batch'; job: number; logs: BatchLogs }
  | { type: 'backprop:epoch'; job: number; logs: EpochLogs }
  | { type: 'backprop:report'; job: number; data: unknown }
  | { type: 'backprop:done'; job: number; history: History; weights: Uint8Array }
  | { type: 'backprop:error'; job: number; name: string; message: string };

/** A Web Worker or a worker's `self`; Node's worker_threads Worker or its parentPort. */
export type WorkerPort =
  | { postMessage(message: unknown, transfer?: ArrayBuffer[]): void; addEventListener(type: string, listener: (event: never) => void): void; removeEventListener(type: string, listener: (event: never) => void): void }
  | { postMessage(message: unknown, transfer?: never[]): void; on(type: string, listener: (value: never) => void): void; off(type: string, listener: (value: never) => void): void };

/** Checks that port can post and be listened to; `what` names it in the error. */
export function checkPort(where: string, what: string, port: unknown, example: string): asserts port is WorkerPort {
  const p = port as Record<string, unknown> | null;
  const listens = typeof p?.on === 'function' || typeof p?.addEventListener === 'function';
  if (typeof p?.postMessage !== 'function' || !listens) throw new TypeError(`${where}: ${what} must be ${example}, got ${describeValue(port)}`);
}

/** Calls listener with each message's data; returns the function that stops listening. */
export function onMessage(port: WorkerPort, listener: (data: unknown) => void): () => void {
  if ('on' in port) {
    port.on('message', listener);
    return () => port.off('message', listener);
  }
  const unwrap = (event: { data: unknown }): void => listener(event.data);
  port.addEventListener('message', unwrap);
  return () => port.removeEventListener('message', unwrap);
}

/**
 * Calls listener once when the worker can no longer answer: an uncaught error or a script that failed to load (a
 * Web Worker's 'error' event), or, in Node, an 'error' or an exit. Returns the function that stops listening.
 */
export function onFailure(port: WorkerPort, listener: (reason: string) => void): () => void {
  if ('on' in port) {
    const error = (e: Error): void => listener(`the worker threw ${e.name}: ${e.message}`);
    const exit = (code: number): void => listener(`the worker exited with code ${code}`);
    port.on('error', error);
    port.on('exit', exit);
    return () => {
      port.off('error', error);
      port.off('exit', exit);
    };
  }
  const error = (e: { message?: string }): void => listener(`the worker failed: ${e.message || 'its script did not load (check its URL and that it is served as JavaScript)'}`);
  port.addEventListener('error', error);
  return () => port.removeEventListener('error', error);
}
