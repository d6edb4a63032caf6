// When tensor storage is freed. A synchronous training loop is one JavaScript job, and inside one job the
// garbage collector can reclaim nothing for us (FinalizationRegistry callbacks run only between jobs, and
// WeakRef targets stay alive until the job ends). So reclamation is deterministic:
// - Tensors produced by ops belong to the current training step and are released when the *next* step's
//   backward() finishes: `loss.item()` and the step's outputs stay valid after their own backward.
//   `keep()` (or `detach()`) makes one outlive that.
// - Inside scope(fn), everything created is released when fn returns, except what it returns.
// - Leaves (tensor(), zeros(), parameters, kept tensors) live until dispose(); in event-loop code a
//   FinalizationRegistry also reclaims the ones that became unreachable.
import type { Storage } from './backend';
import type { Tensor } from './tensor';

let step = 0;
const arenas = new Map<number, Tensor[]>();
const scopes: Tensor[][] = [];
let liveTensors = 0;

const registry = new FinalizationRegistry<Storage>((storage) => {
  liveTensors--;
  releaseStorage(storage);
});

export function releaseStorage(storage: Storage): void {
  if (--storage.refs === 0) storage.backend.free(storage);
}

/** Called for every new tensor. Op outputs join the current step (or scope); leaves are the user's. */
export function adopt(t: Tensor, opOutput: boolean): void {
  liveTensors++;
  const scope = scopes[scopes.length - 1];
  if (scope) scope.push(t);
  else if (opOutput) {
    t.step = step;
    let arena = arenas.get(step);
    if (!arena) arenas.set(step, (arena = []));
    arena.push(t);
  } else {
    registry.register(t, t.storage, t);
  }
}

/** Called when a tensor is disposed or released (once). */
export function forget(t: Tensor): void {
  liveTensors--;
  registry.unregister(t);
  releaseStorage(t.storage);
}

/** Makes a step- or scope-owned tensor a leaf the user owns (keep()). */
export function promote(t: Tensor): void {
  t.step = undefined;
  t.kept = true;
  registry.register(t, t.storage, t);
}

/** End of a backward(): the previous step's op outputs are released. */
export function endStep(): void {
  const old = arenas.get(step - 1);
  arenas.delete(step - 1);
  if (old) for (const t of old) if (!t.kept) t.release(`it was produced in training step ${step - 1} and released when step ${step} finished its backward()`);
  step++;
}


/**
 * Runs fn; every tensor created inside is released when it returns, except the tensors in its result
 * (a tensor, or an array or object of tensors), which pass to the enclosing scope or step.
 */
export function scope<T>(fn: () => T): T {
  const created: Tensor[] = [];
  scopes.push(created);
  let result: T;
  try {
    result = fn();
  } finally {
    scopes.pop();
  }
  const keep = new Set<Tensor>();
  collect(result, keep);
  for (const t of created) {
    if (keep.has(t)) {
      liveTensors--; // adopt() counts it again
      adopt(t, t.fromOp);
    } else if (!t.kept) t.release('it was created inside a scope() that has returned');
  }
  return result;
}

function collect(value: unknown, into: Set<Tensor>): void {
  if (value === null || typeof value !== 'object') return;
  if (isTensor(value)) into.add(value);
  else if (Array.isArray(value)) for (const v of value) collect(v, into);
  else for (const v of Object.values(value)) collect(v, into);
}

function isTensor(value: object): value is Tensor {
  return 'storage' in value && 'shape' in value && typeof (value as Tensor).release === 'function';
}

export function liveTensorCount(): number {
  return liveTensors;
}
