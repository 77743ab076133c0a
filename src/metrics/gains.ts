import { thresholdSweep } from './thresholdSweep.js';

/**
 * Cumulative gains and lift of a binary scorer (the "gains chart" of marketing and credit scoring).
 * yTrue ∈ {0, 1}ⁿ, score: finite numbers, larger meaning "more likely positive", optional weights
 * wᵢ ≥ 0 (rows of weight 0 are ignored).
 */

/** One entry per distinct score t, in decreasing order of t (increasing fraction). */
export interface CumulativeGains {
  /** The distinct scores t, decreasing: targeting means taking the rows with score ≥ t. */
  thresholds: number[];
  /** q(t) = Σ{wᵢ : sᵢ ≥ t} / Σwᵢ, the fraction of rows targeted (weighted); the last is 1. */
  fraction: number[];
  /** G(t) = Σ{wᵢyᵢ : sᵢ ≥ t} / Σwᵢyᵢ, the fraction of all positives captured; the last is 1. */
  gains: number[];
  /** L(t) = G(t)/q(t): how many times the prevalence the targeted rows' positive rate is (1 = random). */
  lift: number[];
}

/**
 * Cumulative gains and lift at every distinct score: rows sorted by descending score, tied rows
 * entering together (a tie cannot be split by the score, so the curves have no point inside it).
 * The curve starts implicitly at (q, G) = (0, 0); a random ordering follows G = q, L = 1, and a
 * perfect one reaches G = 1 at q = the prevalence.
 */
export function cumulativeGains(yTrue: ArrayLike<number>, score: ArrayLike<number>, sampleWeight?: ArrayLike<number> | null): CumulativeGains {
  const fn = 'cumulativeGains';
  const { thresholds, tps, fps } = thresholdSweep(yTrue, score, sampleWeight, fn);
  const m = thresholds.length;
  const positive = tps[m - 1]!;
  const total = positive + fps[m - 1]!;
  if (positive === 0) throw new RangeError(`${fn}: yTrue has no positive row (y = 1) of positive weight, so the gains are undefined`);
  const out: CumulativeGains = { thresholds: [], fraction: [], gains: [], lift: [] };
  for (let j = 0; j < m; j++) {
    const q = (tps[j]! + fps[j]!) / total;
    const g = tps[j]! / positive;
    out.thresholds.push(thresholds[j]!);
    out.fraction.push(q);
    out.gains.push(g);
    out.lift.push(g / q);
  }
  return out;
}
