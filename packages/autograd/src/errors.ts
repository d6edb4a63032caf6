/** Shapes that an op cannot combine: the message names the op and every shape. */
export class ShapeError extends Error {
  override name = 'ShapeError';
}

/** A float32 tensor where an int32 one is needed (or the reverse). */
export class DTypeError extends Error {
  override name = 'DTypeError';
}

/** Use of a tensor after dispose(), or after the training step that owned it ended. */
export class ReleasedTensorError extends Error {
  override name = 'ReleasedTensorError';
}

/** Anomaly mode found NaN or Inf: the message names the op that first produced it. */
export class AnomalyError extends Error {
  override name = 'AnomalyError';
}

/** What a value is, for a message about a value of the wrong kind: "the string '0.1'", "an array", "null". */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return `the string '${value}'`;
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `an object (${value.constructor?.name ?? 'no class'})`;
  return `a ${typeof value}`;
}
