import { describeValue } from './errors';

/**
 * Checks an options object against the options `owner` knows, each given with an example value (its default)
 * or undefined for any type. An unknown option (a typo silently ignored would be a wrong result) and an option
 * of the wrong type ("lr must be a number, got the string '0.1'") throw a TypeError naming them.
 */
export function checkOptions(owner: string, options: unknown, known: object): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`${owner}: options must be an object, got ${describeValue(options)}`);
  }
  // for...in, not Object.entries: this runs on every call of a loss or an op with options, in training loops.
  for (const key in options) {
    if (!Object.hasOwn(options, key)) continue;
    const value = (options as Record<string, unknown>)[key];
    if (!(key in known)) throw new TypeError(`${owner}: unknown option '${key}' (options: ${Object.keys(known).join(', ')})`);
    const example = (known as Record<string, unknown>)[key];
    if (example === undefined || value === undefined) continue;
    const want = Array.isArray(example) ? 'array' : typeof example;
    const got = Array.isArray(value) ? 'array' : typeof value;
    if (got !== want) throw new TypeError(`${owner}: ${key} must be ${want === 'array' ? 'an array' : `a ${want}`}, got ${describeValue(value)}`);
  }
}
