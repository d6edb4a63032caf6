/**
 * Throws a TypeError for any option `owner` does not know, naming it and listing the known ones (a misspelt
 * option silently ignored is a wrong result). Also refuses a non-object where options belong.
 */
export function checkOptions(owner: string, options: unknown, known: readonly string[]): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`${owner}: options must be an object, got ${options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options}`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new TypeError(`${owner}: unknown option '${key}' (options: ${known.join(', ')})`);
  }
}
