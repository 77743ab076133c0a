/** Metrics of predicted probabilities for a binary problem: y ∈ {0, 1}, score or p = P(y = 1). */

function check01(y: ArrayLike<number>, s: ArrayLike<number>, fn: string): void {
  if (y.length !== s.length) throw new RangeError(`${fn}: yTrue has ${y.length} labels but the scores have ${s.length}`);
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== 0 && y[i] !== 1) throw new RangeError(`${fn}: yTrue[${i}] must be 0 or 1, got ${y[i]}`);
  }
}

/**
 * ROC curve: one point per distinct score threshold, from (0, 0) (threshold +∞) to (1, 1); tied
 * scores move both rates at once, as scikit-learn's roc_curve does (before dropping collinear points).
 */
export function rocCurve(yTrue: ArrayLike<number>, score: ArrayLike<number>): { fpr: number[]; tpr: number[]; thresholds: number[] } {
  check01(yTrue, score, 'rocCurve');
  const order = Array.from({ length: yTrue.length }, (_, i) => i).sort((a, b) => score[b]! - score[a]!);
  let P = 0;
  for (let i = 0; i < yTrue.length; i++) P += yTrue[i]!;
  const N = yTrue.length - P;
  if (P === 0 || N === 0) throw new RangeError('rocCurve: yTrue needs both classes (0 and 1)');
  const fpr = [0];
  const tpr = [0];
  const thresholds = [Infinity];
  let tp = 0;
  let fp = 0;
  for (let t = 0; t < order.length; t++) {
    const i = order[t]!;
    if (yTrue[i] === 1) tp++;
    else fp++;
    const next = order[t + 1];
    if (next === undefined || score[next]! !== score[i]!) {
      fpr.push(fp / N);
      tpr.push(tp / P);
      thresholds.push(score[i]!);
    }
  }
  return { fpr, tpr, thresholds };
}

/** Area under the ROC curve by the trapezoid rule (= the Mann–Whitney statistic, ties counted ½). */
export function rocAuc(yTrue: ArrayLike<number>, score: ArrayLike<number>): number {
  const { fpr, tpr } = rocCurve(yTrue, score);
  let area = 0;
  for (let k = 1; k < fpr.length; k++) area += ((fpr[k]! - fpr[k - 1]!) * (tpr[k]! + tpr[k - 1]!)) / 2;
  return area;
}

/** Brier score: mean of (pᵢ − yᵢ)². */
export function brierScore(yTrue: ArrayLike<number>, p: ArrayLike<number>): number {
  check01(yTrue, p, 'brierScore');
  let s = 0;
  for (let i = 0; i < p.length; i++) s += (p[i]! - yTrue[i]!) ** 2;
  return s / p.length;
}

/**
 * Reliability diagram data (scikit-learn's calibration_curve, strategy 'uniform'): [0, 1] cut into
 * nBins equal bins (p = 1 falls in the last); for each non-empty bin, the mean predicted probability,
 * the fraction of positives and the count.
 */
export function calibrationCurve(yTrue: ArrayLike<number>, p: ArrayLike<number>, nBins = 10): { meanPredicted: number[]; fractionPositive: number[]; count: number[] } {
  check01(yTrue, p, 'calibrationCurve');
  if (!Number.isInteger(nBins) || nBins < 1) throw new RangeError(`nBins must be a positive integer, got ${nBins}`);
  const sumP = new Float64Array(nBins);
  const sumY = new Float64Array(nBins);
  const cnt = new Float64Array(nBins);
  for (let i = 0; i < p.length; i++) {
    const b = Math.min(nBins - 1, Math.floor(p[i]! * nBins));
    sumP[b] += p[i]!;
    sumY[b] += yTrue[i]!;
    cnt[b] += 1;
  }
  const out = { meanPredicted: [] as number[], fractionPositive: [] as number[], count: [] as number[] };
  for (let b = 0; b < nBins; b++) {
    if (cnt[b] === 0) continue;
    out.meanPredicted.push(sumP[b]! / cnt[b]!);
    out.fractionPositive.push(sumY[b]! / cnt[b]!);
    out.count.push(cnt[b]!);
  }
  return out;
}
