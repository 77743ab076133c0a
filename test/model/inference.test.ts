import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readCsv } from '../../src/data/csv.js';
import { loadMatrix } from '../helpers/data.js';
import { fit, InferenceError, LogisticRegression, loadModel, SoftmaxRegression } from '../../src/index.js';
import { erfc, chiSquareSf, logGamma } from '../../src/util/distributions.js';
import { fitCases, relErr } from '../helpers/reference.js';

// statsmodels 0.13.5 Logit on spector (test/fixtures/optima.json): params, bse, pvalues,
// conf_int_95, llf, aic, bic, in the order features then constant; logreg lists the intercept first.
const spector = fitCases.find((c) => c.name === 'spector_binary_raw_unpenalized')!;
const sm = spector.statsmodels!;
const interceptFirst = <T>(v: readonly T[]): T[] => [v[v.length - 1]!, ...v.slice(0, -1)];

const load = loadMatrix;

/** R's mtcars (test/fixtures/tabular/mtcars.csv): am, hp, wt of the 32 cars. */
const mtcars = (() => {
  const t = readCsv(fileURLToPath(new URL('../fixtures/tabular/mtcars.csv', import.meta.url)), { columns: ['am', 'hp', 'wt'] });
  const col = (name: string) => {
    const c = t.columns.find((x) => x.name === name)!;
    if (c.kind !== 'numeric') throw new Error(`${name} is not numeric`);
    return c.values;
  };
  const [am, hp, wt] = [col('am'), col('hp'), col('wt')];
  return Array.from({ length: t.n }, (_, i) => ({ am: am[i]!, hp: hp[i]!, wt: wt[i]! }));
})();

describe('inference on spector, unpenalized, against statsmodels', () => {
  const { X, y, names } = load('spector.csv', 'GRADE');
  const model = fit(X, y, { penalty: 'none', tol: 1e-12, featureNames: names });
  const inf = model.summary();

  it('names: intercept, then the features', () => {
    expect(inf.names).toEqual(['intercept', 'GPA', 'TUCE', 'PSI']);
  });
  it.each([
    ['coef', () => inf.coef, interceptFirst(sm.params)],
    ['std_err', () => inf.stdErr, interceptFirst(sm.bse)],
    ['p_value', () => inf.pValue, interceptFirst(sm.pvalues)],
    ['ci_low', () => inf.ciLow, interceptFirst(sm.conf_int_95.map((r) => r[0]!))],
    ['ci_high', () => inf.ciHigh, interceptFirst(sm.conf_int_95.map((r) => r[1]!))],
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

describe('diagnoses instead of huge or NaN numbers: separation decided exactly, never called collinearity', () => {
  const reasonOf = (run: () => unknown): InferenceError => {
    try {
      run();
    } catch (e) {
      if (e instanceof InferenceError) return e;
      throw e;
    }
    throw new Error('no InferenceError');
  };
  it('complete separation: the fit says so, and summary refuses naming the columns', () => {
    const X = [[0], [1], [2], [3], [4], [5]];
    const y = [0, 0, 0, 1, 1, 1];
    const m = new LogisticRegression({ penalty: 'none' }).fit(X, y, { featureNames: ['x'] });
    expect(m.diagnostics.separation).toMatchObject({ status: 'complete' });
    expect(m.diagnostics.separation!.columns).toEqual(expect.arrayContaining(['intercept', 'x']));
    const e = reasonOf(() => m.summary());
    expect(e.reason).toBe('complete-separation');
    expect(e.message).toMatch(/^complete separation: .* The coefficients of .*x.* tend to ±∞/);
  });
  it('quasi-complete separation', () => {
    // x ≤ 2 is always class 0; at x = 3 both classes occur; x > 3 always class 1.
    const X = [[0], [1], [2], [3], [3], [4], [5], [6]];
    const y = [0, 0, 0, 0, 1, 1, 1, 1];
    const m = new LogisticRegression({ penalty: 'none' }).fit(X, y);
    expect(reasonOf(() => m.summary()).reason).toBe('quasi-complete-separation');
  });
  it('a singular information matrix (duplicated column) names the column, and is not separation', () => {
    const X = [[0, 0], [1, 1], [2, 2], [3, 3], [1, 1], [2, 2]];
    const y = [0, 1, 0, 1, 1, 0];
    const m = new LogisticRegression({ penalty: 'none' }).fit(X, y, { featureNames: ['a', 'b'] });
    expect(m.diagnostics.separation).toMatchObject({ status: 'none' });
    const e = reasonOf(() => m.summary());
    expect(e.reason).toBe('singular-information');
    expect(e.message).toMatch(/^the information matrix is singular: "b" is a linear combination of the parameters before it/);
  });
  it('iris with every feature: separation, not collinearity (softmax)', () => {
    const { X, y, names } = load('iris.csv', 'species');
    const m = new SoftmaxRegression({ penalty: 'none' }).fit(X, y, { featureNames: names });
    expect(reasonOf(() => m.summary()).reason).toBe('quasi-complete-separation');
  });
  it('raw mtcars am ~ hp + wt has an estimate in any units: standard errors as R glm', () => {
    // R 4.2.2 glm, test/fixtures/tabular/glm_reference.json, case mtcars_am (coefficients and standard errors).
    const ref = (JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/tabular/glm_reference.json', import.meta.url)), 'utf8')) as { cases: Array<{ name: string; names: string[]; coef: number[]; std_err: number[] }> })
      .cases.find((c) => c.name === 'mtcars_am')!;
    for (const scale of [1, 0.1, 1e-4]) {
      const records = mtcars.map((r) => ({ am: r.am, hp: r.hp * scale, wt: r.wt }));
      const m = fit(records, { formula: 'am ~ hp + wt', penalty: 'none', tol: 1e-12 });
      expect(m.diagnostics.separation).toMatchObject({ status: 'none' });
      const inf = m.summary();
      ref.names.forEach((name, c) => {
        const k = inf.names.indexOf(name);
        const unit = name === 'hp' ? scale : 1;
        expect(relErr(inf.coef[k]! * unit, ref.coef[c]!)).toBeLessThan(1e-6);
        expect(relErr(inf.stdErr[k]! * unit, ref.std_err[c]!)).toBeLessThan(1e-5);
      });
    }
  });
  it('a penalized fit carries a warning, and no separation verdict', () => {
    const { X, y } = load('spector.csv', 'GRADE');
    const m = fit(X, y, { C: 1 });
    const inf = m.summary();
    expect(inf.penalized).toBe(true);
    expect(inf.warnings[0]).toMatch(/^the fit is penalized \(L2, C = 1\)/);
    expect(m.diagnostics.separation).toBeNull();
  });
});

describe('softmax inference: blocks against the first class', () => {
  it('names and a two-class softmax equals binary logistic inference', () => {
    const { X, y, names } = load('spector.csv', 'GRADE');
    const bin = fit(X, y, { penalty: 'none', tol: 1e-12, featureNames: names }).summary();
    const soft = new SoftmaxRegression({ penalty: 'none', tol: 1e-12 }).fit(X, y, { featureNames: names }).summary();
    expect(soft.names).toEqual(['1: intercept', '1: GPA', '1: TUCE', '1: PSI']);
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
