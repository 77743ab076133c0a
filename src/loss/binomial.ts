import type { PointwiseLoss } from './pointwise.js';

/**
 * The binomial negative log-likelihood on one logit z (K = 1), for y ∈ {0, 1}:
 *
 *     ℓ(z, y) = softplus(z) − y·z  = softplus(−z) if y = 1, softplus(z) if y = 0
 *     ∂ℓ/∂z   = σ(z) − y
 *     ∂²ℓ/∂z² = σ(z)·(1 − σ(z)) = e^−|z| / (1 + e^−|z|)²
 *
 * Each row costs one exp and one log1p of e^−|z| ∈ (0, 1], so nothing overflows and a confident,
 * correct row keeps full relative precision (ℓ ≈ e^−|z|, not 1 − (1 − e^−|z|)).
 * The stored curvature is hᵢ = sᵢ·σ(zᵢ)(1 − σ(zᵢ)) (curvStride 1).
 */
export const binomialLoss: PointwiseLoss = {
  K: 1,
  nClasses: 2,
  curvStride: 1,
  gradientBlock(Z, count, start, rows, y, s, curv) {
    let acc = 0;
    for (let j = 0; j < count; j++) {
      const i = rows === null ? start + j : rows[start + j]!;
      const z = Z[j]!;
      const si = s === null ? 1 : s[i]!;
      const yi = y[i]!;
      const e = Math.exp(-Math.abs(z));
      const lp = Math.log1p(e);
      const hinge = yi === 1 ? (z < 0 ? -z : 0) : z > 0 ? z : 0;
      acc += si * (hinge + lp);
      const p = z >= 0 ? 1 / (1 + e) : e / (1 + e);
      Z[j] = si * (p - yi);
      if (curv !== null) {
        const q = 1 + e;
        curv[i] = (si * e) / (q * q);
      }
    }
    return acc;
  },
  valueBlock(Z, count, start, rows, y, s) {
    let acc = 0;
    for (let j = 0; j < count; j++) {
      const i = rows === null ? start + j : rows[start + j]!;
      const z = Z[j]!;
      const hinge = y[i] === 1 ? (z < 0 ? -z : 0) : z > 0 ? z : 0;
      acc += (s === null ? 1 : s[i]!) * (hinge + Math.log1p(Math.exp(-Math.abs(z))));
      Z[j] = 0;
    }
    return acc;
  },
  hessianBlock(U, count, start, rows, curv) {
    for (let j = 0; j < count; j++) {
      const i = rows === null ? start + j : rows[start + j]!;
      U[j] = U[j]! * curv[i]!;
    }
  },
  curvatureDiagonal(curv, n, A) {
    A.set(curv.subarray(0, n));
  },
  probabilities(Z, count, out) {
    for (let j = 0; j < count; j++) {
      const z = Z[j]!;
      const e = Math.exp(-Math.abs(z));
      const big = 1 / (1 + e);
      const small = e / (1 + e);
      // Both columns computed directly, so a tiny probability is not 1 − (almost 1).
      out[2 * j] = z >= 0 ? small : big;
      out[2 * j + 1] = z >= 0 ? big : small;
    }
  },
};
