import { describe, expect, it } from 'vitest';
import type { CovType } from '../../src/model/inference/options.js';
import { standardizationJacobian } from '../../src/model/inference/backTransform.js';
import { type Case, cyclicGroups, expectByName, expectClose, expectP, fitCase, fixtureCase } from './fixtures.js';

// Odds ratios, marginal effects (every `at` and method, with and without dummy), Wald tests and
// the back-transform against statsmodels 0.13.5 / R sandwich (test/fixtures/inference, make_inference.py),
// within 1e-6 (p-values 1e-6 absolute or relative).

function covOptions(c: Case, covType: string, rows: number) {
  return {
    covType: covType as CovType,
    ...(covType === 'cluster' ? { groups: c.design.cluster.column ?? cyclicGroups(rows) } : {}),
    ...(c.kind === 'softmax' ? { referenceClass: c.design.reference_class! } : {}),
  };
}

describe.each(['spector_raw', 'spector_positive_class_0', 'birthwt_main', 'iris_softmax_sepal_width_ref_virginica', 'iris_softmax_sepal_length_ref_setosa'])('odds ratios: %s', (name) => {
  const c = fixtureCase(name);
  const model = fitCase(c);
  it.each(['nonrobust', 'hc1', 'cluster'].filter((t) => c.coef_table[t]))('%s at 0.95 and 0.9: exp(θ) and exp of the interval', (covType) => {
    for (const level of ['0.95', '0.9']) {
      const inf = model.summary({ ...covOptions(c, covType, model.fitReport!.rows), oddsRatios: true, confLevel: Number(level) });
      const want = c.coef_table[covType]!;
      const r = inf.oddsRatios!;
      expect(r.kind).toBe(c.kind === 'binary' ? 'odds ratio' : 'relative-risk ratio');
      expectByName(r.names, r.estimate, want.names, want.conf_int[level]!.exp!, 'exp');
      expectByName(r.names, r.low, want.names, want.conf_int[level]!.exp_low!, 'exp low');
      expectByName(r.names, r.high, want.names, want.conf_int[level]!.exp_high!, 'exp high');
    }
  });
});

describe.each([
  'spector_raw', 'spector_positive_class_0', 'spector_frequency_weights', 'breast_cancer_raw', 'birthwt_main',
  'iris_softmax_sepal_width_ref_setosa', 'iris_softmax_sepal_width_ref_virginica', 'iris_softmax_sepal_length_ref_setosa', 'iris_softmax_sepal_length_ref_virginica',
])('marginal effects: %s', (name) => {
  const c = fixtureCase(name);
  const model = fitCase(c);
  const cases = c.margeff!.map((m) => [`${m.cov_type} ${m.at} ${m.method}${m.dummy ? ' dummy' : ''}`, m] as const);
  it.each(cases)('%s', (_label, m) => {
    const inf = model.summary({ ...covOptions(c, m.cov_type, model.fitReport!.rows), margeff: { at: m.at, method: m.method, dummy: m.dummy }, confLevel: 0.9 });
    const me = inf.margeff!;
    expect(me.at).toBe(m.at);
    expectByName(me.names, me.effect, m.names, m.effect, 'effect');
    m.names.forEach((n, k) => {
      const got = me.stdErr[me.names.indexOf(n)]!;
      if (m.se[k] === 0) expect(got).toBe(0);
      else expectClose(got, m.se[k]!, `se ${n}`);
    });
    if (m.z) {
      m.names.forEach((n, k) => {
        const e = me.names.indexOf(n);
        if (m.z![k] === null) {
          expect(me.z[e]).toBeNaN();
          expect(me.pValue[e]).toBeNaN();
        } else {
          expectClose(me.z[e]!, m.z![k]!, `z ${n}`);
          expectP(me.pValue[e]!, m.p_value![k]!, `p ${n}`);
        }
      });
    }
    if (m.conf_int) {
      m.names.forEach((n, k) => {
        const e = me.names.indexOf(n);
        for (const [got, want] of [[me.ciLow[e]!, m.conf_int!['0.9']!.low[k]!], [me.ciHigh[e]!, m.conf_int!['0.9']!.high[k]!]] as const) {
          if (want === 0) expect(got === 0).toBe(true); // 0 or −0
          else expectClose(got, want, `interval ${n}`);
        }
      });
    }
    if (m.dummy && m.dummy_columns) expect([...me.dummyColumns].sort()).toEqual([...m.dummy_columns].sort());
  });
});

describe('a standardized fit: original units by default, the fitted scale on request', () => {
  const z = fixtureCase('breast_cancer_standardized');
  const raw = fixtureCase('breast_cancer_raw');
  const model = fitCase(z);
  it('the Jacobian of the back-transform is the fixture\'s', () => {
    const st = model.standardization!;
    const J = standardizationJacobian(1, st.mean, st.std);
    const want = z.back_transform!.jacobian.matrix;
    want.forEach((row, r) => row.forEach((v, c) => {
      if (v === 0) expect(J[r * 6 + c]).toBe(0);
      else expectClose(J[r * 6 + c]!, v, `J[${r}][${c}]`);
    }));
  });
  it.each(['nonrobust', 'hc0', 'hc3', 'cluster'])('%s: scale standardized gives the z-score fit, the default its original-unit twin', (covType) => {
    const opts = covOptions(z, covType, 569);
    const onZ = model.summary({ ...opts, scale: 'standardized' });
    expect(onZ.scale).toBe('standardized');
    expect(onZ.backTransformed).toBe(false);
    const want = z.coef_table[covType]!;
    expectByName(onZ.names, onZ.coef, want.names, want.params, 'coef (z)');
    expectByName(onZ.names, onZ.stdErr, want.names, want.bse, 'se (z)');
    const inRaw = model.summary(opts);
    expect(inRaw.backTransformed).toBe(true);
    expect(inRaw.scale).toBe('original');
    expectByName(inRaw.names, inRaw.stdErr, raw.coef_table[covType]!.names, raw.coef_table[covType]!.bse, 'se (original)');
  });
  it.each(z.margeff!.filter((m) => m.cov_type === 'nonrobust').map((m) => [`${m.at} ${m.method}`, m] as const))('margeff on the fitted scale, %s', (_l, m) => {
    const me = model.summary({ scale: 'standardized', margeff: { at: m.at, method: m.method } }).margeff!;
    // z-scores have mean 0: effects times the mean (eyex, dyex at the mean) are rounding noise
    // (|·| < 1e-13) in both, compared as such; the others within 1e-6.
    m.names.forEach((n, k) => {
      const got = me.effect[me.names.indexOf(n)]!;
      if (Math.abs(m.effect[k]!) < 1e-13) expect(Math.abs(got)).toBeLessThan(1e-13);
      else expectClose(got, m.effect[k]!, `effect ${n}`);
    });
    m.names.forEach((n, k) => {
      const got = me.stdErr[me.names.indexOf(n)]!;
      if (Math.abs(m.se[k]!) < 1e-13) expect(Math.abs(got)).toBeLessThan(1e-13);
      else expectClose(got, m.se[k]!, `se ${n}`);
    });
  });
  it.each(raw.margeff!.filter((m) => m.cov_type === 'nonrobust').map((m) => [`${m.at} ${m.method}`, m] as const))('margeff in original units = the raw fit\'s, %s', (_l, m) => {
    const me = model.summary({ margeff: { at: m.at, method: m.method } }).margeff!;
    expectByName(me.names, me.effect, m.names, m.effect, 'effect');
    m.names.forEach((n, k) => {
      if (m.se[k] === 0) expect(me.stdErr[me.names.indexOf(n)]).toBe(0);
      else expectClose(me.stdErr[me.names.indexOf(n)]!, m.se[k]!, `se ${n}`);
    });
  });
  it('a standardized fit without intercept cannot be reported in original units', () => {
    const m = fitCase(z, { fitIntercept: false });
    expect(m.summary().scale).toBe('standardized');
    expect(() => m.summary({ scale: 'original' })).toThrow(/^scale 'original' needs an intercept/);
  });
});

describe.each(['spector_raw', 'spector_positive_class_0', 'spector_frequency_weights', 'breast_cancer_raw', 'birthwt_main',
  'iris_softmax_sepal_width_ref_setosa', 'iris_softmax_sepal_width_ref_virginica', 'iris_softmax_sepal_length_ref_setosa', 'iris_softmax_sepal_length_ref_virginica'])('Wald tests: %s', (name) => {
  const c = fixtureCase(name);
  const model = fitCase(c);
  const cases = c.wald_tests!.flatMap((t) => Object.entries(t.by_cov_type).map(([cov, want]) => [`${t.hypothesis} (${cov})`, t.hypothesis, cov, want] as const));
  it.each(cases)('%s', (_label, hypothesis, covType, want) => {
    const inf = model.summary({ ...covOptions(c, covType, model.fitReport!.rows), tests: [hypothesis, hypothesis] });
    expect(inf.tests).toHaveLength(2);
    const t = inf.tests[0]!;
    expect(t.hypothesis).toBe(hypothesis);
    expect(t.df).toBe(want.df);
    expectClose(t.statistic, want.statistic, 'W');
    expectP(t.pValue, want.p_value, 'p');
  });
});
