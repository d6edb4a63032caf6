// gradcheck: compares backward's gradients with central finite differences, both in float64 on the
// reference backend, so what is tested is each op's derivative, not float32 rounding.
import type { Backend } from './backend';
import { noGrad, referenceBackend, withBackend } from './context';
import { tensorOn } from './creation';
import { scope } from './lifetime';
import { Tensor, type NestedArray } from './tensor';

export interface GradcheckOptions {
  /** Finite-difference step. */
  eps?: number;
  atol?: number;
  rtol?: number;
}

export interface GradcheckResult {
  passed: boolean;
  /** The worst element: which input, its flat index, both gradients and |analytic - numeric|. */
  worst: { input: number; index: number; analytic: number; numeric: number; error: number } | null;
}

/**
 * Checks the gradients of fn at `inputs`: a non-scalar output is reduced as sum(output * u) with a fixed
 * random u. Tolerance as PyTorch's gradcheck: |analytic - numeric| <= atol + rtol |numeric|.
 */
export function gradcheck(
  fn: (...inputs: Tensor[]) => Tensor,
  inputs: readonly (Tensor | NestedArray)[],
  { eps = 1e-6, atol = 1e-5, rtol = 1e-3 }: GradcheckOptions = {},
): GradcheckResult {
  const backend: Backend = referenceBackend;
  const xs = inputs.map((x) => {
    const values = x instanceof Tensor ? Array.from(x.values()) : x;
    const shape = x instanceof Tensor ? x.shape : undefined;
    return tensorOn(backend, values, { requiresGrad: true, ...(shape ? { shape } : {}) }).keep();
  });
  let upstream: Tensor | undefined;
  const objective = (): Tensor => {
    const out = fn(...xs);
    if (!(out instanceof Tensor) || out.backend !== backend) throw new TypeError('gradcheck: fn must return a tensor computed from its inputs');
    // A fixed pseudo-random weighting, so every output element's gradient is exercised.
    upstream ??= tensorOn(backend, Array.from({ length: out.size }, (_, i) => Math.sin(i * 12.9898 + 1) * 0.5 + 1), { shape: out.shape }).keep();
    return out.size === 1 ? out.sum() : out.mul(upstream).sum();
  };
  withBackend(backend, () => scope(() => objective().backward()));
  const analytic = xs.map((x) => x.grad?.values() ?? new Float64Array(x.size));
  let worst: GradcheckResult['worst'] = null;
  let passed = true;
  withBackend(backend, () =>
    noGrad(() => {
      xs.forEach((x, k) => {
        const values = x.values();
        for (let i = 0; i < x.size; i++) {
          const original = values[i]!;
          const at = { storage: x.storage, offset: x.offset + i };
          backend.write(at, [original + eps]);
          const plus = scope(() => objective().item());
          backend.write(at, [original - eps]);
          const minus = scope(() => objective().item());
          backend.write(at, [original]);
          const numeric = (plus - minus) / (2 * eps);
          const a = analytic[k]![i]!;
          const error = Math.abs(a - numeric);
          if (!(error <= atol + rtol * Math.abs(numeric))) passed = false;
          if (worst === null || !(error <= worst.error)) worst = { input: k, index: i, analytic: a, numeric, error };
        }
      });
    }),
  );
  for (const x of xs) x.dispose();
  upstream?.dispose();
  return { passed, worst };
}
