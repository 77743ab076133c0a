import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  accuracy, averagePrecision, balancedAccuracy, bestF1Threshold, binaryLogLoss, brierScore, calibrationCurve, confusionAtThreshold,
  confusionMatrix, cumulativeGains, evaluationReport, logLoss, multiclassBrierScore, precisionRecallCurve, precisionRecallF1,
  rocAuc, rocAucOvr, rocCurve,
} from '../../src/metrics/index.js';

// Reference values from scikit-learn 1.2.1 (numpy 1.24.2): test/fixtures/metrics/sklearn-metrics.json,
// written by test/fixtures/metrics/generate.py (its docstring lists the few values computed from
// their definitions with numpy, where scikit-learn 1.2.1 has no function).

interface LabelMetrics {
  accuracy: number;
  balanced_accuracy: number;
  confusion_matrix: number[][];
  per_class: { precision: number[]; recall: number[]; f1: number[]; support: number[] };
  macro: { precision: number; recall: number; f1: number };
  weighted: { precision: number; recall: number; f1: number };
}
interface CalibrationRef {
  strategy: 'uniform' | 'quantile';
  n_bins: number;
  fraction_positive: number[];
  mean_predicted: number[];
  edges: number[];
  count: number[];
  bin: number[];
}
interface BinaryCase {
  name: string;
  y_true: number[];
  score: number[];
  sample_weight: number[] | null;
  precision_recall_curve: { precision: number[]; recall: number[]; thresholds: number[] };
  average_precision: number;
  roc_curve_no_drop: { fpr: number[]; tpr: number[]; thresholds: number[] };
  roc_auc: number;
  brier_score: number;
  log_loss: number;
  best_f1: { threshold: number; precision: number; recall: number; f1: number };
  gains: { thresholds: number[]; fraction: number[]; gains: number[]; lift: number[] };
  at_threshold: Array<LabelMetrics & { threshold: number }>;
  calibration_curve: CalibrationRef[];
}
interface MulticlassCase {
  name: string;
  y_true: number[];
  classes: number[];
  probabilities: number[][];
  sample_weight: number[] | null;
  roc_auc_ovr_macro: number;
  roc_auc_ovr_weighted: number;
  roc_auc_ovr_per_class: number[];
  brier_multiclass: number;
  log_loss: number;
  argmax: LabelMetrics;
}

const fixture = JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/metrics/sklearn-metrics.json', import.meta.url)), 'utf8')) as {
  source: string;
  cases: { binary: BinaryCase[]; multiclass: MulticlassCase[] };
};

/**
 * Sums that numpy forms in another order (np.sum and np.trapz sum pairwise, np.average by blocks)
 * agree to a few units in the last place; 1e-12 relative bounds that with a wide margin.
 */
function expectClose(actual: number, expected: number, what: string): void {
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));
}
function expectAllClose(actual: ArrayLike<number>, expected: readonly number[], what: string): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expectClose(actual[i]!, expected[i]!, `${what}[${i}]`);
}

it('the fixture says which tool made it', () => {
  expect(fixture.source).toMatch(/^scikit-learn 1\.2\.1, numpy 1\.24\.2/);
  expect(fixture.cases.binary.length).toBeGreaterThanOrEqual(5);
  expect(fixture.cases.multiclass.length).toBeGreaterThanOrEqual(3);
});

describe.each(fixture.cases.binary)('binary case $name against scikit-learn 1.2.1', (c) => {
  const w = c.sample_weight;
  it('precision_recall_curve: the same points bit for bit; average_precision_score', () => {
    const pr = precisionRecallCurve(c.y_true, c.score, w);
    // The cumulative sums are accumulated in scikit-learn's order, so the points agree exactly.
    expect(pr.thresholds).toEqual(c.precision_recall_curve.thresholds);
    expect(pr.precision).toEqual(c.precision_recall_curve.precision);
    expect(pr.recall).toEqual(c.precision_recall_curve.recall);
    expectClose(averagePrecision(c.y_true, c.score, w), c.average_precision, 'average precision');
  });

  it('roc_curve (drop_intermediate=False) and roc_auc_score', () => {
    const roc = rocCurve(c.y_true, c.score, w);
    expect(roc.fpr).toEqual(c.roc_curve_no_drop.fpr);
    expect(roc.tpr).toEqual(c.roc_curve_no_drop.tpr);
    // scikit-learn's first threshold is max(score) + 1; ours is +∞. The rest are the distinct scores.
    expect(roc.thresholds[0]).toBe(Infinity);
    expect(roc.thresholds.slice(1)).toEqual(c.roc_curve_no_drop.thresholds.slice(1));
    expectClose(rocAuc(c.y_true, c.score, w), c.roc_auc, 'ROC AUC');
  });

  it('brier_score_loss and log_loss', () => {
    expectClose(brierScore(c.y_true, c.score, w), c.brier_score, 'Brier');
    expectClose(binaryLogLoss(c.y_true, c.score, { sampleWeight: w }), c.log_loss, 'log loss');
  });

  it('best F1 threshold over the PR thresholds (numpy, from precision_recall_curve)', () => {
    const best = bestF1Threshold(c.y_true, c.score, w);
    expect(best).toEqual(c.best_f1);
  });

  it('cumulative gains and lift (numpy, by definition)', () => {
    const g = cumulativeGains(c.y_true, c.score, w);
    expect(g.thresholds).toEqual(c.gains.thresholds);
    expectAllClose(g.fraction, c.gains.fraction, 'fraction');
    expectAllClose(g.gains, c.gains.gains, 'gains');
    expectAllClose(g.lift, c.gains.lift, 'lift');
  });

  it.each(c.at_threshold)('at threshold $threshold: confusion_matrix, accuracy, balanced accuracy, precision/recall/F1', (t) => {
    const pred = c.score.map((s) => (s >= t.threshold ? 1 : 0));
    const cm = confusionAtThreshold(c.y_true, c.score, t.threshold, w);
    expectAllClose(cm.matrix.flat(), t.confusion_matrix.flat(), 'confusion at threshold');
    expectAllClose(confusionMatrix(c.y_true, pred, [0, 1], w).matrix.flat(), t.confusion_matrix.flat(), 'confusionMatrix');
    expectClose(accuracy(c.y_true, pred, w), t.accuracy, 'accuracy');
    expectClose(balancedAccuracy(c.y_true, pred, w), t.balanced_accuracy, 'balanced accuracy');
    const s = precisionRecallF1(c.y_true, pred, [0, 1], w);
    expectAllClose(s.perClass.map((k) => k.precision), t.per_class.precision, 'precision');
    expectAllClose(s.perClass.map((k) => k.recall), t.per_class.recall, 'recall');
    expectAllClose(s.perClass.map((k) => k.f1), t.per_class.f1, 'F1');
    expectAllClose(s.perClass.map((k) => k.support), t.per_class.support, 'support');
    for (const avg of ['macro', 'weighted'] as const) {
      expectClose(s[avg].precision, t[avg].precision, `${avg} precision`);
      expectClose(s[avg].recall, t[avg].recall, `${avg} recall`);
      expectClose(s[avg].f1, t[avg].f1, `${avg} F1`);
    }
  });

  it('calibration_curve, uniform and quantile bins, with the rows per bin', () => {
    for (const ref of c.calibration_curve) {
      const what = `${ref.strategy} ${ref.n_bins}`;
      const cal = calibrationCurve(c.y_true, c.score, { nBins: ref.n_bins, strategy: ref.strategy, sampleWeight: w });
      expect(cal.edges, what).toEqual(ref.edges);
      expect(cal.bin, what).toEqual(ref.bin);
      expectAllClose(cal.fractionPositive, ref.fraction_positive, `${what} fraction positive`);
      expectAllClose(cal.meanPredicted, ref.mean_predicted, `${what} mean predicted`);
      // With integer weights the reference repeated each row wᵢ times, so its counts are our weights.
      expect(w === null ? cal.count : cal.weight, what).toEqual(ref.count);
    }
  });
});

describe.each(fixture.cases.multiclass)('multiclass case $name against scikit-learn 1.2.1', (c) => {
  const w = c.sample_weight;
  const flat = Float64Array.from(c.probabilities.flat());
  it("roc_auc_score(multi_class='ovr'), macro and weighted, and per class", () => {
    for (const P of [flat, c.probabilities]) {
      const r = rocAucOvr(c.y_true, P, c.classes, w);
      expectClose(r.macro, c.roc_auc_ovr_macro, 'macro');
      expectClose(r.weighted, c.roc_auc_ovr_weighted, 'weighted');
      expectAllClose(r.perClass.map((k) => k.auc), c.roc_auc_ovr_per_class, 'per class');
    }
  });
  it('multiclass Brier score (numpy, by definition) and log_loss', () => {
    expectClose(multiclassBrierScore(c.y_true, flat, c.classes, w), c.brier_multiclass, 'Brier');
    expectClose(logLoss(c.y_true, c.probabilities, { labels: c.classes, sampleWeight: w }), c.log_loss, 'log loss');
  });
  it('argmax predictions: accuracy, balanced accuracy, precision/recall/F1 with macro and weighted averages', () => {
    const pred = c.probabilities.map((row) => c.classes[row.indexOf(Math.max(...row))]!);
    const a = c.argmax;
    expectClose(accuracy(c.y_true, pred, w), a.accuracy, 'accuracy');
    expectClose(balancedAccuracy(c.y_true, pred, w), a.balanced_accuracy, 'balanced accuracy');
    expectAllClose(confusionMatrix(c.y_true, pred, c.classes, w).matrix.flat(), a.confusion_matrix.flat(), 'confusion');
    const s = precisionRecallF1(c.y_true, pred, c.classes, w);
    expectAllClose(s.perClass.map((k) => k.f1), a.per_class.f1, 'F1');
    expectAllClose(s.perClass.map((k) => k.support), a.per_class.support, 'support');
    for (const avg of ['macro', 'weighted'] as const) {
      expectClose(s[avg].precision, a[avg].precision, `${avg} precision`);
      expectClose(s[avg].recall, a[avg].recall, `${avg} recall`);
      expectClose(s[avg].f1, a[avg].f1, `${avg} F1`);
    }
  });
  it('evaluationReport gathers the same numbers', () => {
    const r = evaluationReport(c.y_true, flat, c.classes, { sampleWeight: w });
    if (r.kind !== 'multiclass') throw new Error('expected a multiclass report');
    expectClose(r.rocAucOvr!.macro, c.roc_auc_ovr_macro, 'macro AUC');
    expectClose(r.brierScore, c.brier_multiclass, 'Brier');
    expectClose(r.logLoss, c.log_loss, 'log loss');
    expectClose(r.accuracy, c.argmax.accuracy, 'accuracy');
    expectClose(r.balancedAccuracy, c.argmax.balanced_accuracy, 'balanced accuracy');
    expectClose(r.weighted.f1, c.argmax.weighted.f1, 'weighted F1');
    expectAllClose(r.confusion.matrix.flat(), c.argmax.confusion_matrix.flat(), 'confusion');
    expect(r.notes).toEqual([]);
  });
});

describe('evaluationReport on the binary cases', () => {
  it.each(fixture.cases.binary)('$name', (c) => {
    const w = c.sample_weight;
    const t = c.at_threshold[0]!;
    const P = c.score.flatMap((p) => [1 - p, p]);
    const r = evaluationReport(c.y_true, P, [0, 1], { sampleWeight: w, threshold: t.threshold });
    if (r.kind !== 'binary') throw new Error('expected a binary report');
    expectClose(r.rocAuc!, c.roc_auc, 'AUC');
    expectClose(r.averagePrecision!, c.average_precision, 'AP');
    expectClose(r.brierScore, c.brier_score, 'Brier');
    expectAllClose(r.confusion.matrix.flat(), t.confusion_matrix.flat(), 'confusion at threshold');
    expectClose(r.balancedAccuracy, t.balanced_accuracy, 'balanced accuracy');
    expectClose(r.macro.f1, t.macro.f1, 'macro F1');
    expect(r.bestF1).toEqual(c.best_f1);
    // 1 − p is not bit-exact, so the log loss from the two columns differs in the last places only.
    expectClose(r.logLoss, c.log_loss, 'log loss');
  });
});
