import { thresholdSweep, type ThresholdSweep } from './thresholdSweep.js';

/**
 * Precision–recall curve, average precision and the F1-maximizing threshold of a binary scorer.
 * yTrue ∈ {0, 1}ⁿ; score: finite numbers, larger meaning "more likely positive"; sampleWeight:
 * optional wᵢ ≥ 0 (rows of weight 0 are ignored). Predicting positive when score ≥ t gives
 *   TP(t) = Σ{wᵢ : yᵢ = 1, sᵢ ≥ t},  FP(t) = Σ{wᵢ : yᵢ = 0, sᵢ ≥ t},
 *   precision(t) = TP/(TP + FP),  recall(t) = TP / Σ{wᵢ : yᵢ = 1}.
 */

/**
 * The curve in scikit-learn 1.2's `precision_recall_curve` layout: `thresholds` are the distinct
 * scores, increasing; precision[j] and recall[j] belong to thresholds[j], and one last point
 * (precision 1, recall 0, no threshold) closes the curve, so precision and recall have one more
 * entry than thresholds. Recall decreases along the arrays.
 */
export interface PrecisionRecallCurve {
  precision: number[];
  recall: number[];
  thresholds: number[];
}

function sweep(yTrue: ArrayLike<number>, score: ArrayLike<number>, sampleWeight: ArrayLike<number> | null | undefined, fn: string): ThresholdSweep {
  const s = thresholdSweep(yTrue, score, sampleWeight, fn);
  const positive = s.tps[s.tps.length - 1]!;
  if (positive === 0) throw new RangeError(`${fn}: yTrue has no positive row (y = 1) of positive weight, so recall is undefined`);
  return s;
}

function curveOf({ thresholds, tps, fps }: ThresholdSweep): PrecisionRecallCurve {
  const m = thresholds.length;
  const positive = tps[m - 1]!;
  const precision: number[] = [];
  const recall: number[] = [];
  const out: number[] = [];
  for (let j = m - 1; j >= 0; j--) {
    const predicted = tps[j]! + fps[j]!;
    precision.push(predicted === 0 ? 0 : tps[j]! / predicted);
    recall.push(tps[j]! / positive);
    out.push(thresholds[j]!);
  }
  precision.push(1);
  recall.push(0);
  return { precision, recall, thresholds: out };
}

/** The precision–recall curve (scikit-learn's `precision_recall_curve`, same layout and values). */
export function precisionRecallCurve(yTrue: ArrayLike<number>, score: ArrayLike<number>, sampleWeight?: ArrayLike<number> | null): PrecisionRecallCurve {
  return curveOf(sweep(yTrue, score, sampleWeight, 'precisionRecallCurve'));
}

/**
 * Average precision, the step-wise area under the precision–recall curve (no interpolation):
 * AP = Σⱼ (Rⱼ − Rⱼ₊₁)·Pⱼ over the curve's points in order of decreasing recall — the precision at
 * each threshold weighted by the recall gained there. scikit-learn's `average_precision_score`.
 * A random scorer's AP is about the prevalence Σ{wᵢ : yᵢ = 1}/Σwᵢ; a perfect one's is 1.
 */
export function averagePrecision(yTrue: ArrayLike<number>, score: ArrayLike<number>, sampleWeight?: ArrayLike<number> | null): number {
  return averagePrecisionOf(curveOf(sweep(yTrue, score, sampleWeight, 'averagePrecision')));
}

function averagePrecisionOf({ precision, recall }: PrecisionRecallCurve): number {
  let ap = 0;
  for (let j = 0; j + 1 < recall.length; j++) ap += (recall[j]! - recall[j + 1]!) * precision[j]!;
  return ap;
}

/** The point of the precision–recall curve where F1 is largest. */
export interface BestF1 {
  /** Predict positive when score ≥ threshold. */
  threshold: number;
  precision: number;
  recall: number;
  /** F1 = 2PR/(P + R) (0 when P + R = 0). */
  f1: number;
}

/**
 * The threshold, among the precision–recall curve's thresholds (the distinct scores), at which
 * F1 = 2·precision·recall/(precision + recall) is largest; on a tie, the highest such threshold
 * (fewest rows predicted positive). Returns that threshold with its precision, recall and F1.
 */
export function bestF1Threshold(yTrue: ArrayLike<number>, score: ArrayLike<number>, sampleWeight?: ArrayLike<number> | null): BestF1 {
  const { precision, recall, thresholds } = curveOf(sweep(yTrue, score, sampleWeight, 'bestF1Threshold'));
  let best: BestF1 | null = null;
  // thresholds increase along the arrays, so ≥ keeps the highest threshold among equal F1.
  for (let j = 0; j < thresholds.length; j++) {
    const p = precision[j]!;
    const r = recall[j]!;
    const f1 = p + r > 0 ? (2 * p * r) / (p + r) : 0;
    if (best === null || f1 >= best.f1) best = { threshold: thresholds[j]!, precision: p, recall: r, f1 };
  }
  return best!;
}
