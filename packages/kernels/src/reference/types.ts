/**
 * The references run in the precision of the arrays they are given: float32 arrays round on every store
 * (as the kernels do), float64 arrays keep float64 (autograd's reference backend, used by gradcheck).
 */
export type FloatArray = Float32Array | Float64Array;
