// When tensor memory is freed. No program has to free anything: kernel memory is a cache of tensor data
// (backends/residency.ts), and data not used recently moves out to JavaScript memory, which the garbage
// collector reclaims with the tensor. Two tools give control to those who want it:
// - dispose() frees a tensor's memory at once;
// - scope(fn) frees everything created inside fn when it returns, except its result and keep()'s tensors.
// Either way, using a freed tensor throws a ReleasedTensorError that says why it was freed.
import type { Storage } from './backend';
import type { Tensor } from './tensor';

const scopes: Tensor[][] = [];

/** Called for every new tensor: inside scope(), the innermost scope owns it. */
export function adopt(t: Tensor): void {
  // Not scopes[length - 1]?.push: outside every scope that reads index -1, a slow property lookup in V8.
  if (scopes.length > 0) scopes[scopes.length - 1]!.push(t);
}

/** One tensor stopped using its storage; the last one frees it. */
export function releaseStorage(storage: Storage): void {
  if (--storage.refs === 0) storage.backend.free(storage);
}

/**
 * Runs fn; every tensor created inside is freed when it returns, except the tensors in its result (a tensor,
 * or an array or object of tensors), which pass to the enclosing scope, and those marked with keep().
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
  const returned = new Set<Tensor>();
  collect(result, returned);
  for (const t of created) {
    if (returned.has(t)) adopt(t);
    else if (!t.kept) t.release('it was created inside a scope() that has returned (return it from the function, or call keep() on it, to use it afterwards)');
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
