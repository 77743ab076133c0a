import type { ModelMatrix } from '../../backend/modelMatrix.js';
import { normalCritical } from '../../util/distributions.js';
import { predictorAndQuadratic } from './quadratic.js';

/**
 * Confidence intervals for the predicted probability of a binary model, from the delta method on
 * the linear predictor (statsmodels' GLM `get_prediction().conf_int()`, its default "endpoint"
 * method): with η = θᵀx̃ and se(η) = √(x̃ᵀVx̃),
 *
 *     p = σ(η),   [p_low, p_high] = [σ(η − z·se(η)), σ(η + z·se(η))],   z = Φ⁻¹(½ + level/2)
 *
 * so the interval always lies in (0, 1). V is the covariance of θ̂ on the model's own scale (the
 * standardized one for a standardized fit; the rows of M are standardized the same way).
 */
export interface ProbabilityIntervals {
  /** P(positive class) per row. */
  probability: Float64Array;
  low: Float64Array;
  high: Float64Array;
  /** se(η) per row. */
  seLinear: Float64Array;
}

/** σ(t) without overflow. */
function sigmoid(t: number): number {
  if (t >= 0) return 1 / (1 + Math.exp(-t));
  const e = Math.exp(t);
  return e / (1 + e);
}

export function probabilityIntervals(
  M: ModelMatrix, order: Int32Array, fitIntercept: boolean, theta: ArrayLike<number>, V: ArrayLike<number>, level: number, threads: number | 'auto',
): ProbabilityIntervals {
  const z = normalCritical(level);
  const { eta, quadratic } = predictorAndQuadratic(M, order, fitIntercept, theta, V, threads);
  const n = eta.length;
  const out: ProbabilityIntervals = { probability: new Float64Array(n), low: new Float64Array(n), high: new Float64Array(n), seLinear: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const se = Math.sqrt(quadratic[i]!);
    out.seLinear[i] = se;
    out.probability[i] = sigmoid(eta[i]!);
    out.low[i] = sigmoid(eta[i]! - z * se);
    out.high[i] = sigmoid(eta[i]! + z * se);
  }
  return out;
}
