import { describe, expect, it } from 'vitest';
import { loadMatrix } from '../helpers/data.js';
import { fit, InferenceError, LogisticRegression, loadModel, SoftmaxRegression } from '../../src/index.js';
import { erfc, chiSquareSf, logGamma } from '../../src/util/distributions.js';
import { fitCases, relErr } from '../helpers/reference.js';

// statsmodels 0.13.5 Logit on spector (test/fixtures/optima.json): params, bse, pvalues,
// conf_int_95, llf, aic, bic, in the order features then constant.
const spector = fitCases.find((c) => c.name === 'spector_binary_raw_unpenalized')!;
const sm = spector.statsmodels!;

const load = loadMatrix;

describe('inference on spector, unpenalized, against statsmodels', () => {
  const { X, y, names } = load('spector.csv', 'GRADE');
  const model = fit(X, y, { penalty: 'none', tol: 1e-12, featureNames: names });
  const inf = model.summary();

  it('names: features then intercept', () => {
    expect(inf.names).toEqual(['GPA', 'TUCE', 'PSI', 'intercept']);
  });
  it.each([
    ['coef', () => inf.coef, sm.params],
    ['std_err', () => inf.stdErr, sm.bse],
    ['p_value', () => inf.pValue, sm.pvalues],
    ['ci_low', () => inf.ciLow, sm.conf_int_95.map((r) => r[0]!)],
    ['ci_high', () => inf.ciHigh, sm.conf_int_95.map((r) => r[1]!)],
  ])('%s within 1e-6 (relative)', (_name, get, expected) => {
    const got = get();
    expected.forEach((v, c) => expect(relErr(got[c]!, v)).toBeLessThan(1e-6));
  });
  it('log-likelihood, AIC, BIC within 1e-6 (relative)', () => {
    expect(relErr(inf.logLikelihood, sm.llf)).toBeLessThan(1e-6);
    expect(relErr(inf.aic, sm.aic)).toBeLessThan(1e-6);
    expect(relErr(inf.bic, sm.bic)).toBeLessThan(1e-6);
  });
  it('null log-likelihood, pseudo-R² and LR test are consistent', () => {
    // 11 of 32 students improved: log L₀ = 11·log(11/32) + 21·log(21/32).
    expect(inf.nullLogLikelihood).toBeCloseTo(11 * Math.log(11 / 32) + 21 * Math.log(21 / 32), 12);
    expect(inf.pseudoR2).toBeCloseTo(1 - inf.logLikelihood / inf.nullLogLikelihood, 14);
    expect(inf.lrDf).toBe(3);
    expect(inf.lrPValue).toBeCloseTo(chiSquareSf(inf.lrStatistic, 3), 15);
    expect(inf.penalized).toBe(false);
    expect(inf.warnings).toEqual([]);
  });
  it('a model restored from JSON computes the same summary from the data', () => {
    const back = loadModel(JSON.stringify(model));
    expect(() => back.summary()).toThrow(/restored from JSON/);
    expect(back.summary(X, y).stdErr).toEqual(inf.stdErr);
  });
});

describe('diagnoses instead of huge or NaN numbers', () => {
  it('perfect separation', () => {
    const X = [[0], [1], [2], [3], [4], [5]];
    const y = [0, 0, 0, 1, 1, 1];
    const m = new LogisticRegression({ penalty: 'none' }).fit(X, y);
    expect(() => m.summary()).toThrow(InferenceError);
    expect(() => m.summary()).toThrow(/^the classes are perfectly separated/);
  });
  it('quasi-complete separation', () => {
    // x ≤ 2 is always class 0; at x = 3 both classes occur; x > 3 always class 1.
    const X = [[0], [1], [2], [3], [3], [4], [5], [6]];
    const y = [0, 0, 0, 0, 1, 1, 1, 1];
    const m = new LogisticRegression({ penalty: 'none' }).fit(X, y);
    let err: unknown;
    try {
      m.summary();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InferenceError);
    expect((err as InferenceError).reason).toMatch(/separation/);
  });
  it('a singular information matrix (duplicated column)', () => {
    const X = [[0, 0], [1, 1], [2, 2], [3, 3], [1, 1], [2, 2]];
    const y = [0, 1, 0, 1, 1, 0];
    const m = new LogisticRegression({ penalty: 'none' }).fit(X, y);
    expect(() => m.summary()).toThrow(/^the information matrix is singular/);
  });
  it('a penalized fit carries a warning', () => {
    const { X, y } = load('spector.csv', 'GRADE');
    const inf = fit(X, y, { C: 1 }).summary();
    expect(inf.penalized).toBe(true);
    expect(inf.warnings[0]).toMatch(/^the fit is penalized \(L2, C = 1\)/);
  });
});

describe('softmax inference: blocks against the first class', () => {
  it('names and a two-class softmax equals binary logistic inference', () => {
    const { X, y, names } = load('spector.csv', 'GRADE');
    const bin = fit(X, y, { penalty: 'none', tol: 1e-12, featureNames: names }).summary();
    const soft = new SoftmaxRegression({ penalty: 'none', tol: 1e-12 }).fit(X, y, { featureNames: names }).summary();
    expect(soft.names).toEqual(['1: GPA', '1: TUCE', '1: PSI', '1: intercept']);
    soft.coef.forEach((v, c) => expect(relErr(v, bin.coef[c]!)).toBeLessThan(1e-6));
    soft.stdErr.forEach((v, c) => expect(relErr(v, bin.stdErr[c]!)).toBeLessThan(1e-6));
  });
});

describe('distribution functions', () => {
  it('match known values', () => {
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 14);
    expect(logGamma(10)).toBeCloseTo(Math.log(362880), 12);
    // erfc(1) = 0.157299207050285130658... (Abramowitz & Stegun table 7.1).
    expect(relErr(erfc(1), 0.15729920705028513)).toBeLessThan(1e-13);
    // χ²₂ survival is exp(−x/2) exactly.
    expect(relErr(chiSquareSf(3, 2), Math.exp(-1.5))).toBeLessThan(1e-13);
  });
});
