// Widget settings kept in the page's query string, so a setup can be shared as a link. Each field has a kind and
// a default; a value in the URL that does not parse is reported by name and replaced by the default, and only
// the values that differ from their defaults are written back.
import { onMounted, reactive, watch } from 'vue';

export type Field =
  | { kind: 'number'; default: number; min: number; max: number; integer?: boolean }
  | { kind: 'choice'; default: string; choices: readonly string[] }
  | { kind: 'set'; default: readonly string[]; choices: readonly string[] }
  | { kind: 'ints'; default: readonly number[]; min: number; max: number; maxLength: number }
  | { kind: 'text'; default: string; maxLength: number };

export type Schema = Record<string, Field>;
export type StateOf<S extends Schema> = {
  -readonly [K in keyof S]: S[K] extends { kind: 'number' } ? number
    : S[K] extends { kind: 'ints' } ? number[]
      : S[K] extends { kind: 'set' } ? string[]
        : string;
};

function parseField(name: string, field: Field, raw: string): { value: unknown } | { problem: string } {
  switch (field.kind) {
    case 'number': {
      const v = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(v)) return { problem: `${name}=${raw} is not a number` };
      if (field.integer && !Number.isInteger(v)) return { problem: `${name}=${raw} is not an integer` };
      if (v < field.min || v > field.max) return { problem: `${name}=${raw} is outside [${field.min}, ${field.max}]` };
      return { value: v };
    }
    case 'choice':
      return field.choices.includes(raw) ? { value: raw } : { problem: `${name}=${raw} is not one of ${field.choices.join(', ')}` };
    case 'set': {
      const items = raw === '' ? [] : raw.split(',');
      const unknown = items.filter((item) => !field.choices.includes(item));
      return unknown.length ? { problem: `${name}: unknown ${unknown.join(', ')} (${field.choices.join(', ')})` } : { value: items };
    }
    case 'ints': {
      const items = raw === '' ? [] : raw.split(',').map(Number);
      if (items.length > field.maxLength) return { problem: `${name}: at most ${field.maxLength} values` };
      const bad = items.find((v) => !Number.isInteger(v) || v < field.min || v > field.max);
      return bad === undefined ? { value: items } : { problem: `${name}: each value must be an integer in [${field.min}, ${field.max}]` };
    }
    case 'text':
      return raw.length <= field.maxLength ? { value: raw } : { problem: `${name}: longer than ${field.maxLength} characters` };
  }
}

const copyDefault = (field: Field): unknown => (Array.isArray(field.default) ? [...(field.default as unknown[])] : field.default);

/** The state a query string describes, with a sentence for every value that was rejected or unknown. */
export function readState<S extends Schema>(schema: S, search: string): { state: StateOf<S>; problems: string[] } {
  const params = new URLSearchParams(search);
  const state: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, field] of Object.entries(schema)) {
    const raw = params.get(name);
    const parsed = raw === null ? null : parseField(name, field, raw);
    if (parsed && 'problem' in parsed) problems.push(parsed.problem);
    state[name] = parsed && 'value' in parsed ? parsed.value : copyDefault(field);
  }
  for (const key of params.keys()) if (!(key in schema)) problems.push(`unknown setting '${key}'`);
  return { state: state as StateOf<S>, problems };
}

const serialise = (value: unknown): string => (Array.isArray(value) ? value.join(',') : String(value));

/** The query string for a state: only the values that differ from the defaults, in schema order. */
export function writeState<S extends Schema>(schema: S, state: StateOf<S>): string {
  const params = new URLSearchParams();
  for (const [name, field] of Object.entries(schema)) {
    const value = serialise(state[name]);
    if (value !== serialise(field.default)) params.set(name, value);
  }
  const query = params.toString();
  return query ? `?${query}` : '';
}

/** Reactive state bound to the page URL: read once mounted (pages render on the server first), written on change. */
export function useUrlState<S extends Schema>(schema: S): { state: StateOf<S>; problems: string[] } {
  const result = reactive({ state: readState(schema, '').state, problems: [] as string[] });
  onMounted(() => {
    const read = readState(schema, window.location.search);
    Object.assign(result.state as object, read.state);
    result.problems.splice(0, result.problems.length, ...read.problems); // in place: callers hold this array
    watch(() => writeState(schema, result.state as StateOf<S>), (query) => {
      window.history.replaceState(window.history.state, '', `${window.location.pathname}${query}${window.location.hash}`);
    });
  });
  return result as { state: StateOf<S>; problems: string[] };
}
