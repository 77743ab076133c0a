import type { Label } from '../util/labels.js';
import { checkBinaryLabels, checkClasses, checkLabels, checkProbabilityMatrix, checkScores, checkWeights, type ProbabilityMatrix } from './validate.js';

/**
 * Brier scores: mean squared error of predicted probabilities (lower is better; 0 is perfect).
 * Weighted means are Σᵢ wᵢ·eᵢ / Σᵢ wᵢ.
 */

/**
 * Binary Brier score (scikit-learn 1.2 `brier_score_loss`): Σᵢ wᵢ(pᵢ − yᵢ)² / Σᵢ wᵢ, with
 * yᵢ ∈ {0, 1} and pᵢ = P(yᵢ = 1). It lies in [0, 1]; always predicting the prevalence π scores
 * π(1 − π). This is half the multiclass definition applied to the two columns (1 − p, p).
 */
export function brierScore(yTrue: ArrayLike<number>, p: ArrayLike<number>, sampleWeight?: ArrayLike<number> | null): number {
  const fn = 'brierScore';
  const n = checkBinaryLabels(yTrue, fn);
  checkScores(p, n, fn, 'p', true);
  const w = checkWeights(sampleWeight, n, fn);
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const wi = w === null ? 1 : w[i]!;
    num += wi * (p[i]! - yTrue[i]!) ** 2;
    den += wi;
  }
  return num / den;
}

/**
 * Multiclass Brier score (Brier's original definition): the weighted mean over rows of
 * Σₖ (pᵢₖ − [yᵢ = k])², the squared distance between the probability row and the one-hot truth.
 * It lies in [0, 2]; for two classes it is twice `brierScore`. `probabilities` is n×K, columns in
 * `classes` order, rows summing to 1.
 */
export function multiclassBrierScore(
  yTrue: ArrayLike<Label>, probabilities: ProbabilityMatrix, classes: readonly Label[], sampleWeight?: ArrayLike<number> | null,
): number {
  const fn = 'multiclassBrierScore';
  checkClasses(classes, fn, 2);
  checkLabels(yTrue, fn, 'yTrue');
  const n = yTrue.length;
  if (n === 0) throw new RangeError(`${fn}: yTrue is empty`);
  const K = classes.length;
  const P = checkProbabilityMatrix(probabilities, n, K, fn);
  const w = checkWeights(sampleWeight, n, fn);
  const index = new Map(classes.map((c, k) => [c, k]));
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const y = index.get(yTrue[i]!);
    if (y === undefined) throw new RangeError(`${fn}: yTrue[${i}] is ${JSON.stringify(yTrue[i])}, which is not among the classes`);
    let e = 0;
    for (let k = 0; k < K; k++) e += (P[i * K + k]! - (k === y ? 1 : 0)) ** 2;
    const wi = w === null ? 1 : w[i]!;
    num += wi * e;
    den += wi;
  }
  return num / den;
}
