// Helpers shared by every kernel. One source serves both builds: ASC_FEATURE_RELAXED_SIMD
// is a compile-time constant, so the untaken branch disappears from each module.

/** a * b + c, fused where relaxed SIMD is on (same speed on Zen 5, faster on Intel and ARM). */
// @ts-ignore: decorator
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) {
    return f32x4.relaxed_madd(a, b, c);
  } else {
    return f32x4.add(f32x4.mul(a, b), c);
  }
}

/** Horizontal sum of the four lanes. */
// @ts-ignore: decorator
@inline export function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/** Horizontal maximum of the four lanes (NaN wins, as in PyTorch's max). */
// @ts-ignore: decorator
@inline export function hmax(v: v128): f32 {
  const a = f32x4.extract_lane(v, 0);
  const b = f32x4.extract_lane(v, 1);
  const c = f32x4.extract_lane(v, 2);
  const d = f32x4.extract_lane(v, 3);
  return fmaxNaN(fmaxNaN(a, b), fmaxNaN(c, d));
}

/** max that propagates NaN, as PyTorch's max does. */
// @ts-ignore: decorator
@inline export function fmaxNaN(a: f32, b: f32): f32 {
  return a != a || a > b ? a : b;
}

/** The exported heap start: everything above it belongs to the JavaScript allocator. */
export function heapBase(): usize {
  return __heap_base;
}

/** Loads four lanes (`full`) or one value splatted (a scalar tail); `full` is a constant at each call site. */
// @ts-ignore: decorator
@inline export function ld(ptr: usize, full: bool): v128 {
  return full ? v128.load(ptr) : f32x4.splat(load<f32>(ptr));
}

/** Stores four lanes (`full`) or lane 0 only (a scalar tail). */
// @ts-ignore: decorator
@inline export function st(ptr: usize, v: v128, full: bool): void {
  if (full) v128.store(ptr, v);
  else store<f32>(ptr, f32x4.extract_lane(v, 0));
}

/** The first n (1-4) floats at p, zeros after them: never a read past them. */
// @ts-ignore: decorator
@inline export function loadPartial(p: usize, n: i32): v128 {
  if (n >= 4) return v128.load(p);
  if (n == 1) return v128.load32_zero(p);
  const two = v128.load64_zero(p);
  return n == 2 ? two : f32x4.replace_lane(two, 2, load<f32>(p, 8));
}

/** Stores the first n (1-4) lanes of v at p, and nothing past them. */
// @ts-ignore: decorator
@inline export function storePartial(p: usize, v: v128, n: i32): void {
  if (n >= 4) {
    v128.store(p, v);
    return;
  }
  if (n >= 2) v128.store64_lane(p, v, 0);
  if (n == 1) v128.store32_lane(p, v, 0);
  if (n == 3) v128.store32_lane(p, v, 2, 8);
}
