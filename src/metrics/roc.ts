import type { Label } from '../util/labels.js';
import { thresholdSweep } from './thresholdSweep.js';
import { checkClasses, checkLabels, checkProbabilityMatrix, checkWeights, type ProbabilityMatrix } from './validate.js';

/**
 * ROC curves and the area under them (binary, and one-vs-rest for several classes).
 * yTrue ∈ {0, 1}ⁿ; score: any finite numbers, larger meaning "more likely positive";
 * sampleWeight: optional wᵢ ≥ 0 (rows of weight 0 are ignored).
 */

/** A ROC curve: rates at every distinct threshold, from (0, 0) at threshold +∞ to (1, 1). */
export interface RocCurve {
  fpr: number[];
  tpr: number[];
  thresholds: number[];
}

/**
 * ROC curve: for each distinct score t (decreasing), FPR(t) = Σ{wᵢ : yᵢ = 0, sᵢ ≥ t} / Σ{wᵢ : yᵢ = 0}
 * and TPR(t) = Σ{wᵢ : yᵢ = 1, sᵢ ≥ t} / Σ{wᵢ : yᵢ = 1}, preceded by (0, 0) at threshold +∞. Tied
 * scores move both rates at once. These are scikit-learn's `roc_curve(drop_intermediate=False)`
 * points, except that its first threshold is max(score) + 1 where this one is Infinity (which
 * JSON writes as null).
 */
export function rocCurve(yTrue: ArrayLike<number>, score: ArrayLike<number>, sampleWeight?: ArrayLike<number> | null): RocCurve {
  return curve(yTrue, score, sampleWeight, 'rocCurve');
}

function curve(yTrue: ArrayLike<number>, score: ArrayLike<number>, sampleWeight: ArrayLike<number> | null | undefined, fn: string): RocCurve {
  const { thresholds, tps, fps } = thresholdSweep(yTrue, score, sampleWeight, fn);
  const m = thresholds.length;
  const P = tps[m - 1]!;
  const N = fps[m - 1]!;
  if (P === 0 || N === 0) {
    throw new RangeError(`${fn}: yTrue needs rows of both classes with positive weight; positive weight ${P}, negative weight ${N}`);
  }
  const fpr = [0];
  const tpr = [0];
  const out = [Infinity];
  for (let j = 0; j < m; j++) {
    fpr.push(fps[j]! / N);
    tpr.push(tps[j]! / P);
    out.push(thresholds[j]!);
  }
  return { fpr, tpr, thresholds: out };
}

/**
 * Area under the ROC curve by the trapezoid rule, Σⱼ (FPRⱼ − FPRⱼ₋₁)(TPRⱼ + TPRⱼ₋₁)/2. This equals the
 * weighted Mann–Whitney statistic: the probability that a positive outscores a negative (pairs
 * weighted wᵢwⱼ), a tie counting ½ — scikit-learn's `roc_auc_score` for a binary problem.
 */
export function rocAuc(yTrue: ArrayLike<number>, score: ArrayLike<number>, sampleWeight?: ArrayLike<number> | null): number {
  return areaUnder(curve(yTrue, score, sampleWeight, 'rocAuc'));
}

/** Trapezoid rule over the curve's points. */
function areaUnder({ fpr, tpr }: RocCurve): number {
  let area = 0;
  for (let k = 1; k < fpr.length; k++) area += ((fpr[k]! - fpr[k - 1]!) * (tpr[k]! + tpr[k - 1]!)) / 2;
  return area;
}

/** One-vs-rest ROC AUC of every class, and their two averages. */
export interface OvrRocAuc {
  /** AUC of class k against the rest, scored by column k of the probabilities; in class order. */
  perClass: Array<{ label: Label; auc: number; weight: number }>;
  /** Plain mean of the per-class AUCs (scikit-learn `average='macro'`). */
  macro: number;
  /** Mean weighted by each class's weight Σ{wᵢ : yᵢ = k} (its support; `average='weighted'`). */
  weighted: number;
}

/**
 * Multiclass ROC AUC, one-vs-rest (scikit-learn 1.2 `roc_auc_score(multi_class='ovr')`): for each
 * class k, the binary AUC of [yᵢ = k] scored by P(k | row i); then the macro mean over classes and
 * the mean weighted by class support. `probabilities` is n×K with columns in `classes` order and
 * rows summing to 1; every class must occur in yTrue (with positive weight), and so must some
 * other class, or its AUC is undefined.
 */
export function rocAucOvr(
  yTrue: ArrayLike<Label>, probabilities: ProbabilityMatrix, classes: readonly Label[], sampleWeight?: ArrayLike<number> | null,
): OvrRocAuc {
  const fn = 'rocAucOvr';
  checkClasses(classes, fn, 2);
  checkLabels(yTrue, fn, 'yTrue');
  const n = yTrue.length;
  if (n === 0) throw new RangeError(`${fn}: yTrue is empty`);
  const K = classes.length;
  const P = checkProbabilityMatrix(probabilities, n, K, fn);
  const w = checkWeights(sampleWeight, n, fn);
  const index = new Map(classes.map((c, k) => [c, k]));
  const yIdx = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = index.get(yTrue[i]!);
    if (k === undefined) throw new RangeError(`${fn}: yTrue[${i}] is ${JSON.stringify(yTrue[i])}, which is not among the classes`);
    yIdx[i] = k;
  }
  let totalWeight = 0;
  for (let i = 0; i < n; i++) totalWeight += w === null ? 1 : w[i]!;
  const perClass = classes.map((label, k) => {
    const y01 = new Uint8Array(n);
    const col = new Float64Array(n);
    let weight = 0;
    for (let i = 0; i < n; i++) {
      y01[i] = yIdx[i] === k ? 1 : 0;
      col[i] = P[i * K + k]!;
      if (yIdx[i] === k) weight += w === null ? 1 : w[i]!;
    }
    if (weight === 0 || weight === totalWeight) {
      throw new RangeError(`${fn}: ${weight === 0 ? 'no row' : 'every row'} of positive weight in yTrue is of class ${JSON.stringify(label)}, so its one-vs-rest AUC is undefined`);
    }
    return { label, auc: areaUnder(curve(y01, col, w, fn)), weight };
  });
  return {
    perClass,
    macro: perClass.reduce((s, c) => s + c.auc, 0) / K,
    weighted: perClass.reduce((s, c) => s + c.auc * c.weight, 0) / totalWeight,
  };
}
