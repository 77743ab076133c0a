import { describe, expect, it } from 'vitest';
import {
  averagePrecision, balancedAccuracy, bestF1Threshold, brierScore, calibrationCurve, confusionAtThreshold, cumulativeGains,
  evaluationReport, multiclassBrierScore, precisionRecallCurve, predictAtThreshold, rocAuc, rocAucOvr, rocCurve,
} from '../../src/metrics/index.js';
import * as legacy from '../../src/metrics/probabilistic.js';

// Worked examples by hand and properties; the scikit-learn comparisons are in sklearnReference.test.ts.

/** Rows repeated wᵢ times: what an integer weight means. */
function repeat<T>(values: readonly T[], w: readonly number[]): T[] {
  return values.flatMap((v, i) => new Array<T>(w[i]!).fill(v));
}

describe('integer weights equal repeated rows', () => {
  const y = [1, 0, 1, 1, 0, 0, 1, 0, 1, 0];
  const s = [0.9, 0.8, 0.8, 0.6, 0.55, 0.4, 0.4, 0.2, 0.1, 0.1];
  const w = [2, 1, 0, 3, 1, 2, 1, 4, 1, 2];
  const yr = repeat(y, w);
  const sr = repeat(s, w);
  it('average precision, ROC AUC, Brier score, best F1', () => {
    expect(averagePrecision(y, s, w)).toBeCloseTo(averagePrecision(yr, sr), 14);
    expect(rocAuc(y, s, w)).toBeCloseTo(rocAuc(yr, sr), 14);
    expect(brierScore(y, s, w)).toBeCloseTo(brierScore(yr, sr), 14);
    expect(bestF1Threshold(y, s, w)).toEqual(bestF1Threshold(yr, sr));
  });
  it('cumulative gains and the calibration bins', () => {
    const a = cumulativeGains(y, s, w);
    const b = cumulativeGains(yr, sr);
    expect(a.thresholds).toEqual(b.thresholds);
    a.gains.forEach((g, j) => expect(g).toBeCloseTo(b.gains[j]!, 14));
    a.lift.forEach((l, j) => expect(l).toBeCloseTo(b.lift[j]!, 14));
    const ca = calibrationCurve(y, s, { nBins: 4, sampleWeight: w });
    const cb = calibrationCurve(yr, sr, 4);
    expect(ca.weight).toEqual(cb.count);
    ca.fractionPositive.forEach((f, j) => expect(f).toBeCloseTo(cb.fractionPositive[j]!, 14));
  });
  it('a row of weight 0 adds no threshold (0.3, scored only by the weight-0 row, is not one)', () => {
    const pr = precisionRecallCurve([1, 0, 1], [0.9, 0.7, 0.3], [1, 1, 0]);
    expect(pr.thresholds).toEqual([0.7, 0.9]);
    expect(rocCurve([1, 0, 1], [0.9, 0.7, 0.3], [1, 1, 0]).thresholds).toEqual([Infinity, 0.9, 0.7]);
  });
});

describe('precision–recall by hand', () => {
  it('average precision sums precision × recall gained, without interpolation', () => {
    // Ranking + − + −: at 0.9 P 1 R ½, at 0.5 P ⅔ R 1 → AP = ½·1 + ½·⅔.
    expect(averagePrecision([1, 0, 1, 0], [0.9, 0.7, 0.5, 0.1])).toBeCloseTo(0.5 + 1 / 3, 15);
  });
  it('best F1: ties go to the highest threshold', () => {
    // Thresholds 0.8 (P 1, R ½, F1 ⅔) and 0.4 (P ½, R 1, F1 ⅔); 0.6 has P ⅔, R ½, F1 4/7.
    const best = bestF1Threshold([1, 0, 0, 1], [0.8, 0.6, 0.5, 0.4]);
    expect(best.threshold).toBe(0.8);
    expect(best.f1).toBeCloseTo(2 / 3, 15);
    expect(best.precision).toBe(1);
    expect(best.recall).toBe(0.5);
  });
});

describe('cumulative gains and lift by hand', () => {
  it('tied scores are one step; lift = gains / fraction', () => {
    // Scores 0.9 (+), 0.5 (+, −) tied, 0.1 (−, −): 2 positives in 5 rows.
    const g = cumulativeGains([1, 1, 0, 0, 0], [0.9, 0.5, 0.5, 0.1, 0.1]);
    expect(g.thresholds).toEqual([0.9, 0.5, 0.1]);
    expect(g.fraction).toEqual([0.2, 0.6, 1]);
    expect(g.gains).toEqual([0.5, 1, 1]);
    expect(g.lift[0]).toBeCloseTo(2.5, 15);
    expect(g.lift[1]).toBeCloseTo(1 / 0.6, 15);
    expect(g.lift[2]).toBe(1);
  });
});

describe('threshold decisions', () => {
  it('positive when p ≥ t', () => {
    expect(Array.from(predictAtThreshold([0.3, 0.5, 0.7], 0.5))).toEqual([0, 1, 1]);
    const c = confusionAtThreshold([0, 1, 1, 0], [0.3, 0.3, 0.8, 0.9], 0.3, [1, 2, 3, 4]);
    expect(c.matrix).toEqual([[0, 5], [0, 5]]);
    expect(confusionAtThreshold([0, 1, 1, 0], [0.3, 0.3, 0.8, 0.9], 0.31).matrix).toEqual([[1, 1], [1, 1]]);
  });
});

describe('calibration bins', () => {
  it('uniform bins: a probability on an interior edge goes to the lower bin (numpy searchsorted, left)', () => {
    const c = calibrationCurve([0, 1, 1, 0], [0.25, 0.5, 0.75, 1], 4);
    expect(c.bin).toEqual([0, 1, 2, 3]);
    expect(c.count).toEqual([1, 1, 1, 1]);
    expect(c.edges).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });
  it('quantile bins hold equal numbers of rows; empty bins are dropped', () => {
    const p = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8];
    const q = calibrationCurve([0, 0, 0, 1, 0, 1, 1, 1], p, { nBins: 4, strategy: 'quantile' });
    expect(q.count).toEqual([2, 2, 2, 2]);
    expect(q.fractionPositive).toEqual([0, 0.5, 0.5, 1]);
    const u = calibrationCurve([0, 1, 1], [0.05, 0.06, 0.95], 10);
    expect(u.bin).toEqual([0, 9]);
    expect(u.count).toEqual([2, 1]);
    expect(u.meanPredicted[0]).toBeCloseTo(0.055, 15);
  });
  it('the historical signature (nBins as a number) and module path still work', () => {
    expect(legacy.calibrationCurve([0, 1], [0.2, 0.9], 5).count).toEqual([1, 1]);
    expect(legacy.rocAuc([0, 1], [0.2, 0.9])).toBe(1);
    expect(legacy.brierScore([0, 1], [0.5, 0.5])).toBe(0.25);
  });
});

describe('multiclass metrics by hand', () => {
  it('multiclass Brier on two classes is twice the binary Brier score', () => {
    const y = [0, 1, 1, 0];
    const p = [0.2, 0.7, 0.4, 0.5];
    const rows = p.map((v) => [1 - v, v]);
    expect(multiclassBrierScore(y, rows, [0, 1])).toBeCloseTo(2 * brierScore(y, p), 15);
  });
  it('balanced accuracy ignores classes that are only predicted', () => {
    // Recall of a: 1/2, of b: 1; class c appears only among predictions.
    expect(balancedAccuracy(['a', 'a', 'b'], ['a', 'c', 'b'])).toBeCloseTo(0.75, 15);
    expect(balancedAccuracy(['a', 'a', 'b'], ['a', 'c', 'b'], [1, 3, 1])).toBeCloseTo((0.25 + 1) / 2, 15);
  });
  it('one-vs-rest AUC of a perfect ranking is 1 for every class', () => {
    const r = rocAucOvr(['x', 'y', 'z'], [[0.8, 0.1, 0.1], [0.1, 0.8, 0.1], [0.1, 0.1, 0.8]], ['x', 'y', 'z']);
    expect(r.perClass.map((c) => c.auc)).toEqual([1, 1, 1]);
    expect(r.macro).toBe(1);
  });
});

describe('evaluationReport', () => {
  it('binary: predictions at the threshold, and curves', () => {
    const P = Float64Array.from([0.9, 0.1, 0.4, 0.6, 0.3, 0.7, 0.65, 0.35]);
    const r = evaluationReport(['no', 'yes', 'yes', 'no'], P, ['no', 'yes'], { threshold: 0.65 });
    if (r.kind !== 'binary') throw new Error('expected a binary report');
    // P(yes) = 0.1, 0.6, 0.7, 0.35: only row 2 reaches 0.65.
    expect(r.confusion.matrix).toEqual([[2, 0], [1, 1]]);
    expect(r.positive).toBe('yes');
    expect(r.prevalence).toBe(0.5);
    expect(r.rocAuc).toBe(1);
    expect(r.curves.roc!.fpr.at(-1)).toBe(1);
    expect(r.curves.calibration.count.reduce((a, b) => a + b, 0)).toBe(4);
    expect(JSON.parse(JSON.stringify(r)).curves.roc.thresholds[0]).toBeNull();
  });
  it('metrics undefined on one-class labels are null, with a note', () => {
    const r = evaluationReport([1, 1], [[0.2, 0.8], [0.6, 0.4]], [0, 1]);
    if (r.kind !== 'binary') throw new Error('expected a binary report');
    expect(r.rocAuc).toBeNull();
    expect(r.averagePrecision).toBe(1);
    expect(r.notes).toEqual(['ROC AUC is undefined: yTrue has no row of class 0.']);
    const m = evaluationReport(['a', 'b'], [[0.5, 0.3, 0.2], [0.2, 0.5, 0.3]], ['a', 'b', 'c']);
    if (m.kind !== 'multiclass') throw new Error('expected a multiclass report');
    expect(m.rocAucOvr).toBeNull();
    expect(m.notes).toEqual(['One-vs-rest ROC AUC is undefined: yTrue has no row of class "c".']);
  });
  it('refuses a threshold for a multiclass model, and labels outside the classes', () => {
    const P = [[0.5, 0.3, 0.2]];
    expect(() => evaluationReport(['a'], P, ['a', 'b', 'c'], { threshold: 0.5 }))
      .toThrow(new RangeError('evaluationReport: threshold 0.5 applies to two-class models, but there are 3 classes'));
    expect(() => evaluationReport(['d'], P, ['a', 'b', 'c'])).toThrow('evaluationReport: yTrue[0] is "d", which is not among the classes');
  });
});

describe('inputs are checked at the edge, with sentences naming argument and value', () => {
  it.each([
    [() => rocAuc([0, 2], [0.1, 0.2]), RangeError, 'rocAuc: yTrue[1] must be 0 or 1, got 2'],
    [() => rocAuc([0, '1' as unknown as number], [0.1, 0.2]), TypeError, 'rocAuc: yTrue[1] must be the number 0 or 1, got the string "1"'],
    [() => rocAuc([0, 1], [0.1, NaN]), RangeError, 'rocAuc: score[1] must be finite, got NaN'],
    [() => rocAuc([0, 1], [0.1]), RangeError, 'rocAuc: score has 1 values but yTrue has 2'],
    [() => rocAuc([1, 1], [0.1, 0.2]), RangeError, 'rocAuc: yTrue needs rows of both classes with positive weight; positive weight 2, negative weight 0'],
    [() => averagePrecision([0, 0], [0.1, 0.2]), RangeError, 'averagePrecision: yTrue has no positive row (y = 1) of positive weight, so recall is undefined'],
    [() => averagePrecision([0, 1], [0.1, 0.2], [1, -1]), RangeError, 'averagePrecision: sampleWeight[1] must be a finite number ≥ 0, got -1'],
    [() => averagePrecision([0, 1], [0.1, 0.2], [0, 0]), RangeError, 'averagePrecision: sampleWeight sums to 0; at least one weight must be positive'],
    [() => brierScore([0, 1], [0.1, 1.2]), RangeError, 'brierScore: p[1] is 1.2, outside [0, 1]'],
    [() => calibrationCurve([0, 1], [0.1, 0.2], 0), RangeError, 'calibrationCurve: nBins must be a positive integer, got 0'],
    [() => calibrationCurve([0, 1], [0.1, 0.2], { strategy: 'kmeans' as 'uniform' }), RangeError, 'calibrationCurve: strategy must be \'uniform\' or \'quantile\', got "kmeans"'],
    [() => confusionAtThreshold([0, 1], [0.1, 0.2], 1.5), RangeError, 'confusionAtThreshold: threshold must be in [0, 1], got 1.5'],
    [() => multiclassBrierScore([0, 1], [[0.5, 0.6], [0.5, 0.5]], [0, 1]), RangeError, 'multiclassBrierScore: probabilities of row 0 sum to 1.1, not 1'],
    [() => rocAucOvr([0, 1], [0.5, 0.5, 0.5], [0, 1]), RangeError, 'rocAucOvr: probabilities has 3 values but 2 rows × 2 classes need 4'],
    [() => balancedAccuracy([0, 1], [0]), RangeError, 'confusionMatrix: yTrue has 2 labels but yPred has 1'],
    [() => cumulativeGains(null as unknown as number[], []), TypeError, 'cumulativeGains: yTrue must be an array, got null'],
  ])('%#', (call, kind, message) => {
    expect(call).toThrow(kind);
    expect(call).toThrow(message);
  });
});

describe('counted confusion matrices are checked too', () => {
  it('a matrix that does not match its labels, or a negative count', async () => {
    const { scoresFromConfusion, balancedAccuracyFromConfusion } = await import('../../src/metrics/index.js');
    expect(() => scoresFromConfusion({ labels: ['a', 'b'], matrix: [[1, 2]] })).toThrow(new RangeError('scoresFromConfusion: the confusion matrix has 1 rows for 2 labels'));
    expect(() => balancedAccuracyFromConfusion({ labels: ['a'], matrix: [[-1]] })).toThrow(new RangeError('balancedAccuracy: matrix[0][0] must be a finite count ≥ 0, got -1'));
  });
});
