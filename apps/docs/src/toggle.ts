/** `list` with `item` removed if present, else added, kept in the order of `all` (for URL-stable sets). */
export function toggled<T>(list: readonly T[], item: T, all: readonly T[]): T[] {
  return list.includes(item) ? list.filter((x) => x !== item) : all.filter((x) => x === item || list.includes(x));
}
