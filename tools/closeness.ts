// How close an exported model's numbers are to backprop's, as the export issue bounds them. Shared by the export
// tests of @backprop/nn and @backprop/zoo.

function excess(got: ArrayLike<number>, want: ArrayLike<number>, absolute: number): number {
  if (got.length !== want.length) return Infinity;
  let worst = -Infinity;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!) - absolute - 1e-4 * Math.abs(want[i]!));
  return Number.isNaN(worst) ? Infinity : worst;
}

/** Outputs: |got - want| <= 1e-5 + 1e-4 |want| everywhere. The largest excess over that bound (<= 0 passes). */
export function excessOverBound(got: ArrayLike<number>, want: ArrayLike<number>): number {
  return excess(got, want, 1e-5);
}

/**
 * Gradients and running statistics, as golden/layers.json bounds them: |got - want| <= 1e-5 max(1, max |want|)
 * + 1e-4 |want| (a sum over a batch carries the rounding of its largest terms).
 */
export function excessOverScaledBound(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let scale = 1;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]!));
  return excess(got, want, 1e-5 * scale);
}
