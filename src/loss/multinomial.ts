import type { PointwiseLoss } from './pointwise.js';

/**
 * The multinomial negative log-likelihood on K ≥ 2 logits, for a class index y:
 *
 *     ℓ(z, y) = logsumexp(z) − z_y,   p = softmax(z)
 *     ∂ℓ/∂z   = p − e_y
 *     ∇²ℓ     = diag(p) − p·pᵀ,       so ∇²ℓ·u = p ∘ (u − pᵀu)
 *
 * Computed in src/loss/wasm/multinomial.ts, with logsumexp shifted by the largest logit and written
 * as m + log1p(Σ_{k≠argmax} e^(zₖ−m)), so nothing overflows and confident rows keep their precision.
 */
export function multinomialLoss(K: number): PointwiseLoss {
  if (!Number.isInteger(K) || K < 2) throw new RangeError(`the multinomial loss needs K ≥ 2 classes, got ${K}`);
  return { name: 'multinomial', K, nClasses: K };
}
