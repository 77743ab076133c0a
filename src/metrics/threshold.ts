import { checkBinaryLabels, checkScores, checkWeights, describe } from './validate.js';

/**
 * Binary decisions at a probability threshold t: predict the positive class when P(positive) ≥ t.
 * (t = 0.5 is the usual rule; a model's own predict picks the larger probability, which differs
 * only at exactly p = 0.5, where it picks the first class.)
 */

/** Checks that t is a number in [0, 1]. */
export function checkThreshold(t: unknown, fn: string): number {
  if (typeof t !== 'number') throw new TypeError(`${fn}: threshold must be a number, got ${describe(t)}`);
  if (!(t >= 0 && t <= 1)) throw new RangeError(`${fn}: threshold must be in [0, 1], got ${t}`);
  return t;
}

/** Predictions 1 (positive) where pᵢ ≥ threshold, else 0. */
export function predictAtThreshold(p: ArrayLike<number>, threshold: number): Uint8Array {
  const fn = 'predictAtThreshold';
  const t = checkThreshold(threshold, fn);
  checkScores(p, p.length, fn, 'p', true);
  return Uint8Array.from({ length: p.length }, (_, i) => (p[i]! >= t ? 1 : 0));
}

/** The 2×2 confusion matrix of the rule "positive when p ≥ threshold" (weighted counts). */
export interface BinaryConfusion {
  threshold: number;
  /** Σ wᵢ over rows with yᵢ = 0 and pᵢ < t, and so on for the other three cells. */
  tn: number;
  fp: number;
  fn: number;
  tp: number;
  /** [[tn, fp], [fn, tp]]: rows are the truth (negative, positive), columns the prediction. */
  matrix: [[number, number], [number, number]];
}

/**
 * Confusion matrix of a binary model at `threshold`: row i is predicted positive when pᵢ ≥ t.
 * yTrue ∈ {0, 1}ⁿ, p = P(y = 1) ∈ [0, 1]ⁿ; cells are sums of weights (counts without weights).
 */
export function confusionAtThreshold(
  yTrue: ArrayLike<number>, p: ArrayLike<number>, threshold: number, sampleWeight?: ArrayLike<number> | null,
): BinaryConfusion {
  const name = 'confusionAtThreshold';
  const t = checkThreshold(threshold, name);
  const n = checkBinaryLabels(yTrue, name);
  checkScores(p, n, name, 'p', true);
  const w = checkWeights(sampleWeight, n, name);
  let tn = 0;
  let fp = 0;
  let fn = 0;
  let tp = 0;
  for (let i = 0; i < n; i++) {
    const wi = w === null ? 1 : w[i]!;
    const predicted = p[i]! >= t;
    if (yTrue[i] === 1) {
      if (predicted) tp += wi;
      else fn += wi;
    } else if (predicted) fp += wi;
    else tn += wi;
  }
  return { threshold: t, tn, fp, fn, tp, matrix: [[tn, fp], [fn, tp]] };
}
