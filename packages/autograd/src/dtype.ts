/** float32 for values; int32 for labels and indices (argmax, class ids). */
export type DType = 'float32' | 'int32';
