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
