import { checkBinaryLabels, checkScores, checkWeights } from './validate.js';

/**
 * Reliability-diagram data, with scikit-learn 1.2's `calibration_curve` binning.
 * yTrue ∈ {0, 1}ⁿ, p = predicted P(y = 1) ∈ [0, 1]ⁿ, optional weights wᵢ ≥ 0.
 */

/** How the bin edges e₀ < … < e_B are chosen. */
export type CalibrationStrategy = 'uniform' | 'quantile';

export interface CalibrationOptions {
  /** Number of bins B (default 10). */
  nBins?: number;
  /**
   * 'uniform' (default): eⱼ = j·(1/B), equal-width bins on [0, 1]. 'quantile': eⱼ = the (j/B)-th
   * quantile of the predicted probabilities (numpy's default linear interpolation), so each bin
   * holds about n/B rows; the quantiles are of the rows, unweighted, even when weights are given.
   */
  strategy?: CalibrationStrategy;
  /** Row weights: a bin's statistics are weighted means, and its `weight` is Σ wᵢ. */
  sampleWeight?: ArrayLike<number> | null;
}

/** One entry per bin that holds rows (empty bins are dropped), in increasing order of p. */
export interface CalibrationCurve {
  strategy: CalibrationStrategy;
  nBins: number;
  /** All B + 1 bin edges, including the empty bins' (quantile edges may repeat). */
  edges: number[];
  /** Index j of each kept bin: it covers (e_j, e_{j+1}] (the first bin also takes p = e₀). */
  bin: number[];
  /** Σ wᵢpᵢ / Σ wᵢ over the bin's rows. */
  meanPredicted: number[];
  /** Σ wᵢyᵢ / Σ wᵢ over the bin's rows: the observed frequency of the positive class. */
  fractionPositive: number[];
  /** Number of rows in the bin. */
  count: number[];
  /** Σ wᵢ over the bin's rows (= count without weights). */
  weight: number[];
}

/**
 * numpy 1.24 `np.percentile(values, 100·q)`, method 'linear': with v sorted and h = (n − 1)·q,
 * v[⌊h⌋] + (h − ⌊h⌋)(v[⌊h⌋+1] − v[⌊h⌋]), written the way numpy's _lerp writes it so the edges agree
 * to the last bit.
 */
function percentile(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  const h = (n - 1) * ((q * 100) / 100);
  if (h >= n - 1) return sorted[n - 1]!;
  const lo = Math.floor(h);
  const a = sorted[lo]!;
  const b = sorted[lo + 1]!;
  const t = h - lo;
  const d = b - a;
  return t >= 0.5 ? b - d * (1 - t) : a + d * t;
}

/**
 * Bins the rows by p and returns, for each non-empty bin, the mean prediction and the observed
 * fraction of positives (and the count and weight of its rows). Row i goes to bin j when
 * e_j < pᵢ ≤ e_{j+1}, counting only interior edges (numpy's searchsorted, side 'left', on
 * e₁ … e_{B−1}); so p = 0 falls in the first bin and p = 1 in the last. A bin with no rows is
 * dropped, as scikit-learn drops it; so is a bin whose rows all have weight 0 (its means are 0/0).
 * `nBinsOrOptions` is the number of bins (the historical signature) or the options.
 */
export function calibrationCurve(yTrue: ArrayLike<number>, p: ArrayLike<number>, nBinsOrOptions: number | CalibrationOptions = {}): CalibrationCurve {
  const fn = 'calibrationCurve';
  const o: CalibrationOptions = typeof nBinsOrOptions === 'number' ? { nBins: nBinsOrOptions } : nBinsOrOptions;
  const nBins = o.nBins ?? 10;
  const strategy = o.strategy ?? 'uniform';
  if (typeof nBins !== 'number' || !Number.isInteger(nBins) || nBins < 1) throw new RangeError(`${fn}: nBins must be a positive integer, got ${String(nBins)}`);
  if (strategy !== 'uniform' && strategy !== 'quantile') throw new RangeError(`${fn}: strategy must be 'uniform' or 'quantile', got ${JSON.stringify(strategy)}`);
  const n = checkBinaryLabels(yTrue, fn);
  checkScores(p, n, fn, 'p', true);
  const w = checkWeights(o.sampleWeight, n, fn);

  const edges: number[] = [];
  if (strategy === 'uniform') {
    const step = 1 / nBins;
    for (let j = 0; j < nBins; j++) edges.push(j * step);
    edges.push(1);
  } else {
    const sorted = Float64Array.from(p).sort();
    const step = 1 / nBins;
    for (let j = 0; j < nBins; j++) edges.push(percentile(sorted, j * step));
    edges.push(percentile(sorted, 1));
  }

  const sumP = new Float64Array(nBins);
  const sumY = new Float64Array(nBins);
  const sumW = new Float64Array(nBins);
  const count = new Float64Array(nBins);
  for (let i = 0; i < n; i++) {
    const pi = p[i]!;
    // Number of interior edges e₁ … e_{B−1} strictly below pᵢ (binary search; edges are nondecreasing).
    let lo = 1;
    let hi = nBins;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (edges[mid]! < pi) lo = mid + 1;
      else hi = mid;
    }
    const b = lo - 1;
    const wi = w === null ? 1 : w[i]!;
    sumP[b] += wi * pi;
    sumY[b] += wi * yTrue[i]!;
    sumW[b] += wi;
    count[b] += 1;
  }
  const out: CalibrationCurve = { strategy, nBins, edges, bin: [], meanPredicted: [], fractionPositive: [], count: [], weight: [] };
  for (let b = 0; b < nBins; b++) {
    if (count[b] === 0 || sumW[b] === 0) continue;
    out.bin.push(b);
    out.meanPredicted.push(sumP[b]! / sumW[b]!);
    out.fractionPositive.push(sumY[b]! / sumW[b]!);
    out.count.push(count[b]!);
    out.weight.push(sumW[b]!);
  }
  return out;
}
