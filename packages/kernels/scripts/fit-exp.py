"""The coefficients of exp's polynomial in assembly/math.ts: e^r - 1 = r + r^2 q(r) on |r| <= ln2/2, q of degree 4.

A minimax fit of q by Lawson's iteratively reweighted least squares, each point weighted by r^2 / e^r, so the error
minimised is that of e^r relative to itself. Prints the coefficients rounded to float32 (q0 first) and the worst
relative error of 1 + r + r^2 q(r) against e^r, before and after that rounding. Needs only numpy:

    python3 packages/kernels/scripts/fit-exp.py
"""
import math

import numpy as np

DEGREE = 4
HALF_LN2 = math.log(2) / 2 * 1.0005  # a little past the range, which float32 rounding of r can leave

# Chebyshev points, without r = 0 (where q's definition divides by zero; it is 1/2 there).
r = np.cos(np.linspace(0, np.pi, 4001)) * HALF_LN2
r = r[np.abs(r) > 1e-6]
# q's exact values, (e^r - 1 - r) / r^2 = sum over k >= 2 of r^(k-2) / k!, summed far past float64's precision.
exact = sum(r ** (k - 2) / math.factorial(k) for k in range(2, 24))
weight = r ** 2 / np.exp(r)
powers = np.vander(r, DEGREE + 1, increasing=True)


def worst(coefficients):
    return np.abs((powers @ coefficients - exact) * weight).max()


lawson = np.full_like(r, 1 / len(r))
for _ in range(200):
    scaled = weight * np.sqrt(lawson)
    coefficients, *_ = np.linalg.lstsq(powers * scaled[:, None], exact * scaled, rcond=None)
    error = np.abs((powers @ coefficients - exact) * weight)
    lawson = lawson * error / error.mean()
    lawson /= lawson.sum()

rounded = coefficients.astype(np.float32)
print("q0..q4 (float32):", ", ".join(repr(float(c)) for c in rounded))
print(f"worst relative error of e^r: {worst(coefficients):.3g} (float64 coefficients), {worst(rounded.astype(np.float64)):.3g} (float32)")
