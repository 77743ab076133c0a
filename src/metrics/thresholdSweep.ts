import { checkBinaryLabels, checkScores, checkWeights } from './validate.js';

/**
 * Weighted true- and false-positive totals at every distinct score threshold (scikit-learn 1.2's
 * `_binary_clf_curve`): with rows sorted by descending score, thresholds[j] is the j-th largest
 * distinct score and
 *   tps[j] = Σ { wᵢ·yᵢ : sᵢ ≥ thresholds[j] },   fps[j] = Σ { wᵢ·(1 − yᵢ) : sᵢ ≥ thresholds[j] },
 * so tied scores enter together. Rows of weight 0 are dropped first (they would only add
 * thresholds). The sums are accumulated in scikit-learn's order (descending score; within a tie,
 * descending row index, the reverse of a stable ascending sort), so they agree with it bit for bit.
 */
export interface ThresholdSweep {
  /** Distinct scores, decreasing. */
  thresholds: Float64Array;
  /** Weight of positives scored ≥ thresholds[j] (nondecreasing); the last is the total positive weight. */
  tps: Float64Array;
  /** Weight of negatives scored ≥ thresholds[j]; the last is the total negative weight. */
  fps: Float64Array;
}

/** Validates (yTrue ∈ {0,1}ⁿ, n finite scores, optional weights ≥ 0) and sweeps the thresholds. */
export function thresholdSweep(
  yTrue: ArrayLike<number>, score: ArrayLike<number>, sampleWeight: ArrayLike<number> | null | undefined, fn: string, probability = false,
): ThresholdSweep {
  const n = checkBinaryLabels(yTrue, fn);
  checkScores(score, n, fn, probability ? 'p' : 'score', probability);
  const w = checkWeights(sampleWeight, n, fn);
  const rows: number[] = [];
  for (let i = 0; i < n; i++) if (w === null || w[i]! !== 0) rows.push(i);
  rows.sort((a, b) => score[b]! - score[a]! || b - a);
  const thresholds: number[] = [];
  const tps: number[] = [];
  const fps: number[] = [];
  let tp = 0;
  let fp = 0;
  for (let t = 0; t < rows.length; t++) {
    const i = rows[t]!;
    const wi = w === null ? 1 : w[i]!;
    if (yTrue[i] === 1) tp += wi;
    else fp += wi;
    const next = rows[t + 1];
    if (next === undefined || score[next]! !== score[i]!) {
      thresholds.push(score[i]!);
      tps.push(tp);
      fps.push(fp);
    }
  }
  return { thresholds: Float64Array.from(thresholds), tps: Float64Array.from(tps), fps: Float64Array.from(fps) };
}
