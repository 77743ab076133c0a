import { describe, expect, it } from 'vitest';
import {
  accuracy, binaryLogLoss, brierScore, calibrationCurve, confusionMatrix, logLoss, precisionRecallF1, rocAuc, rocCurve,
} from '../../src/metrics/index.js';
import { lossCases } from '../helpers/reference.js';

// The worked examples (test/fixtures/optima.json, values from scikit-learn 1.2.1 log_loss), bit-exact.
const binary = lossCases.find((c) => c.name === 'seed_binary')!;
const multi = lossCases.find((c) => c.name === 'seed_multiclass')!;

describe('log loss on probabilities', () => {
  it('binary worked example, exactly', () => {
    expect(binaryLogLoss(binary.y_true, binary.y_pred as number[])).toBe(binary.expected);
    expect(binary.expected).toBe(0.22944289410146546);
  });

  it('multiclass worked example, exactly', () => {
    expect(logLoss(multi.y_true, multi.y_pred as number[][])).toBe(multi.expected);
    expect(multi.expected).toBe(0.2119244851021358);
  });

  it('logLoss on binary data agrees with binaryLogLoss, with 1-D and 2-D yPred', () => {
    const p = binary.y_pred as number[];
    expect(logLoss(binary.y_true, p)).toBeCloseTo(binary.expected, 15);
    expect(logLoss(binary.y_true, p.map((q) => [1 - q, q]))).toBeCloseTo(binary.expected, 15);
  });

  it('labels for a yTrue lacking a class; normalize false; sample weights', () => {
    // Only classes 0 and 2 occur; the middle column belongs to class 1.
    const v = logLoss([0, 2], [[0.5, 0.25, 0.25], [0.25, 0.25, 0.5]], { labels: [0, 1, 2] });
    expect(v).toBeCloseTo(Math.log(2), 15);
    expect(logLoss([0, 2], [[0.5, 0.25, 0.25], [0.25, 0.25, 0.5]], { labels: [0, 1, 2], normalize: false })).toBeCloseTo(2 * Math.log(2), 15);
    // Weights 3 and 1: (3·(−log .5) + 1·(−log .25)) / 4.
    expect(binaryLogLoss([1, 0], [0.5, 0.75], { sampleWeight: [3, 1] })).toBeCloseTo((3 * Math.log(2) + Math.log(4)) / 4, 15);
  });

  it('clips a confident mistake to −log(eps) instead of returning Infinity', () => {
    expect(binaryLogLoss([1], [0])).toBeCloseTo(-Math.log(1e-15), 10);
    expect(binaryLogLoss([1], [0], { eps: 1e-7 })).toBeCloseTo(-Math.log(1e-7), 10);
  });

  it('errors name the argument, row and value', () => {
    expect(() => logLoss([0, 1], [[0.5, 0.6], [0.5, 0.5]])).toThrow('yPred row 0 sums to 1.1, not 1');
    expect(() => logLoss([0, 1, 2], [[0.5, 0.5], [0.5, 0.5], [0.5, 0.5]])).toThrow('yPred has 2 columns but there are 3 classes');
    expect(() => binaryLogLoss([1, 2], [0.5, 0.5])).toThrow('yTrue[1] must be 0 or 1, got 2');
    expect(() => binaryLogLoss([1, 0], [0.5])).toThrow('yPred has 1 probabilities but yTrue has 2 labels');
    expect(() => logLoss([1, 1], [0.5, 0.5])).toThrow('yTrue has a single class (1); give labels to name the other classes');
    expect(() => logLoss([0, 3], [[1, 0], [0, 1]], { labels: [0, 1] })).toThrow('yTrue[1] is 3, which is not among the labels');
  });
});

describe('classification metrics', () => {
  const yt = ['a', 'a', 'b', 'b', 'b', 'c'];
  const yp = ['a', 'b', 'b', 'b', 'c', 'c'];
  it('accuracy and confusion matrix (rows = truth)', () => {
    expect(accuracy(yt, yp)).toBeCloseTo(4 / 6, 15);
    expect(confusionMatrix(yt, yp)).toEqual({ labels: ['a', 'b', 'c'], matrix: [[1, 1, 0], [0, 2, 1], [0, 0, 1]] });
  });
  it('precision, recall, F1 by hand', () => {
    const r = precisionRecallF1(yt, yp);
    // b: TP 2, predicted 3, true 3 → P = R = F1 = 2/3. c: TP 1, predicted 2, true 1 → P ½, R 1, F1 ⅔.
    expect(r.perClass[1]).toMatchObject({ label: 'b', support: 3 });
    expect(r.perClass[1]!.precision).toBeCloseTo(2 / 3, 15);
    expect(r.perClass[2]!.precision).toBeCloseTo(0.5, 15);
    expect(r.perClass[2]!.f1).toBeCloseTo(2 / 3, 15);
    expect(r.macro.recall).toBeCloseTo((0.5 + 2 / 3 + 1) / 3, 15);
  });
  it('ROC AUC with ties counts a tied positive/negative pair as one half', () => {
    // Pairs (pos, neg): scores pos {0.8, 0.5}, neg {0.5, 0.2}: 0.8>0.5, 0.8>0.2, 0.5=0.5 (½), 0.5>0.2 → 3.5/4.
    expect(rocAuc([1, 1, 0, 0], [0.8, 0.5, 0.5, 0.2])).toBeCloseTo(3.5 / 4, 15);
    expect(rocCurve([1, 1, 0, 0], [0.8, 0.5, 0.5, 0.2]).fpr).toEqual([0, 0, 0.5, 1]);
  });
  it('Brier score and calibration bins', () => {
    expect(brierScore([1, 0], [0.75, 0.5])).toBeCloseTo((0.0625 + 0.25) / 2, 15);
    const c = calibrationCurve([0, 1, 1, 0], [0.05, 0.15, 0.95, 1], 10);
    expect(c.count).toEqual([1, 1, 2]);
    expect(c.fractionPositive).toEqual([0, 1, 0.5]);
  });
});
