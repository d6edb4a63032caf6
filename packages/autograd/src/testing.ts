// Test helpers: comparing tensors with expected values under the golden tolerance.
import { expect } from 'vitest';
import type { NestedArray, Tensor } from './tensor';

export function flat(value: NestedArray): number[] {
  return Array.isArray(value) ? value.flatMap(flat) : [value];
}

export function shapeOf(value: NestedArray): number[] {
  return Array.isArray(value) ? [value.length, ...shapeOf(value[0] ?? 0)] : [];
}

/** Asserts t has want's shape and |got - want| <= atol + rtol |want| everywhere (golden README's rule). */
export function expectClose(t: Tensor | null, want: NestedArray, label: string, atol = 1e-5, rtol = 1e-4): void {
  expect(t, `${label}: no tensor`).not.toBeNull();
  expect([...t!.shape], `${label}: shape`).toEqual(shapeOf(want));
  const got = Array.from(t!.values());
  const w = flat(want);
  got.forEach((g, i) => {
    const ok = Math.abs(g - w[i]!) <= atol + rtol * Math.abs(w[i]!);
    if (!ok) expect.fail(`${label}: element ${i} is ${g}, want ${w[i]} (|diff| ${Math.abs(g - w[i]!)})`);
  });
}

/** Random nested array of `shape` with values in [lo, hi), kept `gap` away from `avoid` (kinks, poles). */
export function randomNested(random: () => number, shape: readonly number[], lo = -2, hi = 2, avoid?: number, gap = 0.05): NestedArray {
  if (shape.length === 0) {
    let v: number;
    do v = lo + (hi - lo) * random();
    while (avoid !== undefined && Math.abs(v - avoid) < gap);
    return v;
  }
  return Array.from({ length: shape[0]! }, () => randomNested(random, shape.slice(1), lo, hi, avoid, gap));
}
