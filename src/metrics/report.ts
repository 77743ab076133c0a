import type { Label } from '../util/labels.js';
import { brierScore, multiclassBrierScore } from './brier.js';
import { calibrationCurve, type CalibrationCurve, type CalibrationStrategy } from './calibration.js';
import { balancedAccuracyFromConfusion, type ClassScores, type Confusion, scoresFromConfusion } from './classification.js';
import { cumulativeGains, type CumulativeGains } from './gains.js';
import { logLoss } from './logLoss.js';
import { averagePrecision, type BestF1, bestF1Threshold, precisionRecallCurve, type PrecisionRecallCurve } from './precisionRecall.js';
import { rocAuc, rocAucOvr, rocCurve, type OvrRocAuc, type RocCurve } from './roc.js';
import { checkThreshold } from './threshold.js';
import { checkClasses, checkLabels, checkProbabilityMatrix, checkWeights, describe, type ProbabilityMatrix } from './validate.js';

/**
 * Everything `logreg evaluate` reports, computed once from the true labels and the model's class
 * probabilities. Binary models (two classes) predict the second class, the positive one, when
 * P(positive) ≥ threshold; models with more classes predict the most probable class (the first
 * in class order on an exact tie). All sums are weighted when sample weights are given.
 */

export interface EvaluationReportOptions {
  /** Row weights wᵢ ≥ 0 (default: all 1). */
  sampleWeight?: ArrayLike<number> | null;
  /** Binary models only: predict the positive class when P(positive) ≥ threshold (default 0.5). */
  threshold?: number;
  /** Binning of the calibration curve (binary models; default 10 uniform bins). */
  calibration?: { nBins?: number; strategy?: CalibrationStrategy };
}

/** What both kinds of report hold. */
export interface EvaluationReportBase {
  classes: Label[];
  /** Number of rows. */
  n: number;
  /** Σ wᵢ (= n without weights). */
  totalWeight: number;
  /** Whether sample weights were given. */
  sampleWeighted: boolean;
  /** Log loss of the probabilities (scikit-learn's `log_loss`: clipped to [1e-15, 1 − 1e-15]), weighted mean. */
  logLoss: number;
  /** Weighted fraction of rows predicted correctly. */
  accuracy: number;
  /** Mean recall over the classes present in yTrue (scikit-learn's `balanced_accuracy_score`). */
  balancedAccuracy: number;
  /** Precision, recall, F1 and (weighted) support of every class, in class order. */
  perClass: ClassScores[];
  /** Plain means of precision, recall and F1 over classes. */
  macro: Omit<ClassScores, 'label'>;
  /** Means weighted by support (classification_report's "weighted avg"). */
  weighted: Omit<ClassScores, 'label'>;
  /** Confusion matrix of the predictions (rows: truth, columns: prediction; weighted counts), classes in `classes` order. */
  confusion: Confusion;
  /**
   * Sentences naming the metrics that are undefined on these labels (then null), e.g. ROC AUC when
   * yTrue holds one class only. Empty when every metric is defined.
   */
  notes: string[];
}

/** The report of a two-class model. */
export interface BinaryEvaluationReport extends EvaluationReportBase {
  kind: 'binary';
  /** classes[1], whose probability is scored. */
  positive: Label;
  /** The decision threshold on P(positive). */
  threshold: number;
  /** Σ{wᵢ : yᵢ = positive} / Σwᵢ: the average precision of a random scorer. */
  prevalence: number;
  /** Binary Brier score, mean of (p − y)² (scikit-learn's `brier_score_loss`, range [0, 1]). */
  brierScore: number;
  rocAuc: number | null;
  averagePrecision: number | null;
  /** The threshold among the scores that maximizes F1 (ties: the highest), with its precision and recall. */
  bestF1: BestF1 | null;
  /** Curves for charts and JSON (ROC's first threshold is +∞, which JSON writes as null). */
  curves: {
    roc: RocCurve | null;
    precisionRecall: PrecisionRecallCurve | null;
    gains: CumulativeGains | null;
    calibration: CalibrationCurve;
  };
}

/** The report of a model with three or more classes. */
export interface MulticlassEvaluationReport extends EvaluationReportBase {
  kind: 'multiclass';
  /** Multiclass Brier score, mean over rows of Σₖ (pₖ − [y = k])² (range [0, 2]). */
  brierScore: number;
  /** One-vs-rest ROC AUC per class, macro and support-weighted means; null if some class is absent from yTrue. */
  rocAucOvr: OvrRocAuc | null;
}

export type EvaluationReport = BinaryEvaluationReport | MulticlassEvaluationReport;

/**
 * Computes every metric `logreg evaluate` reports. yTrue: n labels, each among `classes`;
 * probabilities: n×K (row-major flat array, e.g. a model's Float64Array, or n rows), columns in
 * `classes` order, rows summing to 1. Throws on invalid input; metrics that are undefined on the
 * given labels (a class absent from yTrue) are null and explained in `notes`.
 */
export function evaluationReport(
  yTrue: ArrayLike<Label>, probabilities: ProbabilityMatrix, classes: readonly Label[], options: EvaluationReportOptions = {},
): EvaluationReport {
  const fn = 'evaluationReport';
  if (options === null || typeof options !== 'object') throw new TypeError(`${fn}: options must be an object, got ${describe(options)}`);
  checkClasses(classes, fn, 2);
  checkLabels(yTrue, fn, 'yTrue');
  const n = yTrue.length;
  if (n === 0) throw new RangeError(`${fn}: yTrue is empty`);
  const K = classes.length;
  const P = checkProbabilityMatrix(probabilities, n, K, fn);
  const w = checkWeights(options.sampleWeight, n, fn);
  if (K > 2 && options.threshold !== undefined) {
    throw new RangeError(`${fn}: threshold ${String(options.threshold)} applies to two-class models, but there are ${K} classes`);
  }
  const threshold = checkThreshold(options.threshold ?? 0.5, fn);
  const index = new Map(classes.map((c, k) => [c, k]));
  const yIdx = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = index.get(yTrue[i]!);
    if (k === undefined) throw new RangeError(`${fn}: yTrue[${i}] is ${JSON.stringify(yTrue[i])}, which is not among the classes`);
    yIdx[i] = k;
  }

  // Predictions: threshold on P(classes[1]) for two classes, the most probable class otherwise.
  const predicted = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (K === 2) {
      predicted[i] = P[i * 2 + 1]! >= threshold ? 1 : 0;
    } else {
      let best = 0;
      for (let k = 1; k < K; k++) if (P[i * K + k]! > P[i * K + best]!) best = k;
      predicted[i] = best;
    }
  }
  const matrix = classes.map(() => new Array<number>(K).fill(0));
  let totalWeight = 0;
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const wi = w === null ? 1 : w[i]!;
    matrix[yIdx[i]!]![predicted[i]!]! += wi;
    totalWeight += wi;
    if (yIdx[i] === predicted[i]) hits += wi;
  }
  const confusion: Confusion = { labels: [...classes], matrix };
  const scores = scoresFromConfusion(confusion);
  const rows = Array.from({ length: n }, (_, i) => P.subarray(i * K, (i + 1) * K));
  const notes: string[] = [];
  const base: EvaluationReportBase = {
    classes: [...classes],
    n,
    totalWeight,
    sampleWeighted: w !== null,
    logLoss: logLoss(yTrue, rows, { labels: classes, sampleWeight: w }),
    accuracy: hits / totalWeight,
    balancedAccuracy: balancedAccuracyFromConfusion(confusion),
    perClass: scores.perClass,
    macro: scores.macro,
    weighted: scores.weighted,
    confusion,
    notes,
  };

  if (K > 2) {
    const present = classes.filter((_, k) => matrix[k]!.reduce((s, v) => s + v, 0) > 0);
    let ovr: OvrRocAuc | null = null;
    if (present.length === K) ovr = rocAucOvr(yTrue, P, classes, w);
    else notes.push(`One-vs-rest ROC AUC is undefined: yTrue has no row of class ${classes.filter((c) => !present.includes(c)).map((c) => JSON.stringify(c)).join(', ')}.`);
    return { ...base, kind: 'multiclass', brierScore: multiclassBrierScore(yTrue, P, classes, w), rocAucOvr: ovr };
  }

  const y01 = Uint8Array.from(yIdx);
  const p1 = Float64Array.from({ length: n }, (_, i) => P[i * 2 + 1]!);
  const positiveWeight = matrix[1]![0]! + matrix[1]![1]!;
  const negativeWeight = matrix[0]![0]! + matrix[0]![1]!;
  const hasPositive = positiveWeight > 0;
  const bothClasses = hasPositive && negativeWeight > 0;
  if (!bothClasses) {
    notes.push(`ROC AUC is undefined: yTrue has no row of class ${JSON.stringify(classes[hasPositive ? 0 : 1])}.`);
  }
  if (!hasPositive) {
    notes.push(`Average precision, the best-F1 threshold and cumulative gains are undefined: yTrue has no row of the positive class ${JSON.stringify(classes[1])}.`);
  }
  return {
    ...base,
    kind: 'binary',
    positive: classes[1]!,
    threshold,
    prevalence: positiveWeight / totalWeight,
    brierScore: brierScore(y01, p1, w),
    rocAuc: bothClasses ? rocAuc(y01, p1, w) : null,
    averagePrecision: hasPositive ? averagePrecision(y01, p1, w) : null,
    bestF1: hasPositive ? bestF1Threshold(y01, p1, w) : null,
    curves: {
      roc: bothClasses ? rocCurve(y01, p1, w) : null,
      precisionRecall: hasPositive ? precisionRecallCurve(y01, p1, w) : null,
      gains: hasPositive ? cumulativeGains(y01, p1, w) : null,
      calibration: calibrationCurve(y01, p1, { ...options.calibration, sampleWeight: w }),
    },
  };
}
