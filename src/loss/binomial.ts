import type { PointwiseLoss } from './pointwise.js';

/**
 * The binomial negative log-likelihood on one logit z (K = 1), for y ∈ {0, 1}:
 *
 *     ℓ(z, y) = softplus(z) − y·z = max(z, 0) − y·z + log1p(e^−|z|)
 *     ∂ℓ/∂z   = σ(z) − y
 *     ∂²ℓ/∂z² = σ(z)·(1 − σ(z)) = e^−|z| / (1 + e^−|z|)²
 *
 * P(class 1) = σ(z). Computed in src/loss/wasm/binomial.ts: one exp and one log1p of e^−|z| per
 * row, so nothing overflows and a confident, correct row keeps full relative precision.
 */
export const binomialLoss: PointwiseLoss = { name: 'binomial', K: 1, nClasses: 2 };
