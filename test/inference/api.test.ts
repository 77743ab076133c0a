import { describe, expect, it } from 'vitest';
import { InferenceError, LogisticRegression, SoftmaxRegression, fit, loadModel, readCsv } from '../../src/index.js';
import { parseHypothesis } from '../../src/model/inference/wald.js';
import { normalCritical, normalQuantile } from '../../src/util/distributions.js';
import { FIXTURES, cyclicGroups, expectClose, fitCase, fixtureCase } from './fixtures.js';

// The API around the references: prediction intervals (statsmodels GLM get_prediction, spector_raw),
// the positive class, the stored covariance, defaults, and one-line errors for bad options.

const spector = fixtureCase('spector_raw');
const table = readCsv(`${FIXTURES}spector_clustered.csv`);

describe('prediction intervals for probabilities (delta method on the linear predictor)', () => {
  it.each(['nonrobust', 'hc0'] as const)('%s, levels 0.95 and 0.9, every row of spector', (covType) => {
    const model = fitCase(spector);
    model.summary({ covType });
    expect(model.covariance!.type).toBe(covType);
    const want = spector.prediction_intervals![covType]!;
    for (const level of ['0.95', '0.9']) {
      const r = model.predictIntervals(table, { confLevel: Number(level) });
      expect(Array.from(r.rows!)).toEqual(Array.from({ length: 32 }, (_, i) => i));
      want.p.forEach((p, i) => {
        expectClose(r.probability[i]!, p, `p[${i}]`);
        expectClose(r.seLinear[i]!, want.se_eta[i]!, `se(η)[${i}]`);
        expectClose(r.low[i]!, want.interval[level]!.p_low[i]!, `p_low[${i}]`);
        expectClose(r.high[i]!, want.interval[level]!.p_high[i]!, `p_high[${i}]`);
      });
    }
  });
  it('the covariance travels in the model JSON; a model without it, or softmax, is refused', () => {
    const model = fitCase(spector);
    expect(() => model.predictIntervals(table)).toThrow(/^this model carries no covariance: call summary\(\) on it first/);
    expect(JSON.parse(JSON.stringify(model)).covariance).toBeUndefined();
    model.summary({ covType: 'hc0' });
    const json = JSON.parse(JSON.stringify(model));
    expect(json.covariance.type).toBe('hc0');
    expect(json.covariance.names).toEqual(['intercept', 'GPA', 'TUCE', 'PSI']);
    const back = loadModel(json);
    expect(back.covariance).toEqual(model.covariance);
    expect(Array.from(back.predictIntervals(table).low)).toEqual(Array.from(model.predictIntervals(table).low));
    json.covariance.matrix[0][1] += 1;
    expect(() => loadModel(json)).toThrow(/^not a logreg model: covariance.matrix must be symmetric/);
    const soft = fitCase(fixtureCase('iris_softmax_sepal_width_ref_setosa'));
    soft.summary();
    expect(JSON.parse(JSON.stringify(soft)).covariance).toBeUndefined();
    expect(() => soft.predictIntervals(readCsv(`${FIXTURES}iris.csv`))).toThrow(/^prediction intervals are for binary models/);
  });
  it('a standardized model keeps its covariance on its own scale: the same intervals as the raw fit', () => {
    const zc = fixtureCase('breast_cancer_standardized');
    const rc = fixtureCase('breast_cancer_raw');
    const bc = readCsv(`${FIXTURES}breast_cancer.csv`);
    const z = fitCase(zc);
    const raw = fitCase(rc);
    z.summary();
    raw.summary();
    const a = z.predictIntervals(bc, { confLevel: 0.9 });
    const b = raw.predictIntervals(bc, { confLevel: 0.9 });
    for (let i = 0; i < 569; i += 7) {
      expectClose(a.low[i]!, b.low[i]!, `low[${i}]`);
      expectClose(a.high[i]!, b.high[i]!, `high[${i}]`);
    }
  });
});

describe('the positive class', () => {
  it('orders the classes [other, positive]: probabilities, labels and JSON follow', () => {
    const flipped = fitCase(fixtureCase('spector_positive_class_0'));
    const plain = fitCase(spector);
    expect(flipped.classes).toEqual([1, 0]);
    expect(flipped.positiveClass).toBe(0);
    expect(plain.positiveClass).toBe(1);
    const pf = flipped.predictProba(table);
    const pp = plain.predictProba(table);
    pf.forEach((row, i) => expectClose(row[0]!, pp[i]![1]!, `P(1) row ${i}`));
    expect(flipped.predict(table)).toEqual(plain.predict(table));
    const back = loadModel(JSON.stringify(flipped));
    expect(back.classes).toEqual([1, 0]);
    expect(back.options.positiveClass).toBe(0);
  });
  it('matches a label given as text (the CLI) and refuses others and softmax', () => {
    expect(fitCase(spector, { positiveClass: '0' }).classes).toEqual([1, 0]);
    expect(() => fitCase(spector, { positiveClass: 2 })).toThrow(/^positiveClass 2 is not one of the labels \(0, 1\)/);
    expect(() => fitCase(fixtureCase('iris_softmax_sepal_width_ref_setosa'), { positiveClass: 'setosa' })).toThrow(/^positiveClass applies to binary models/);
    expect(() => new LogisticRegression({ positiveClass: [1] as unknown as number })).toThrow(/^positiveClass must be a class label/);
  });
});

describe('options and their defaults', () => {
  const model = fitCase(spector);
  it('summary(options) and summary(X, y, options) on a restored model agree', () => {
    const inf = model.summary({ covType: 'hc1', confLevel: 0.9 });
    const back = loadModel(JSON.stringify(model));
    const again = back.summary(table, null, { covType: 'hc1', confLevel: 0.9 });
    expect(again.stdErr).toEqual(inf.stdErr);
    expect(again.ciLow).toEqual(inf.ciLow);
    // A Table, and an object of columns, alone: data (labels from the target column), not options.
    expect(back.summary(table).stdErr).toEqual(model.summary().stdErr);
    const columns = Object.fromEntries(table.columns.map((c) => [c.name, Array.from((c as { values: Float64Array }).values)]));
    expect(back.summary(columns).stdErr).toEqual(model.summary().stdErr);
    const clustered = back.summary(table, null, { covType: 'cluster', groups: 'cluster' });
    expect(clustered.stdErr).toEqual(model.summary({ covType: 'cluster', groups: 'cluster' }).stdErr);
    expect(back.summary(table, null, { covType: 'cluster', groups: cyclicGroups(32) }).stdErr).toEqual(clustered.stdErr);
  });
  it('defaults: nonrobust at 0.95, original scale, frequency weights; hc0 for analytic weights', () => {
    const inf = model.summary();
    expect(inf).toMatchObject({ covType: 'nonrobust', confLevel: 0.95, scale: 'original', backTransformed: false, weightsAre: null, positiveClass: 1, referenceClass: null, oddsRatios: null, margeff: null, tests: [] });
    const weighted = fitCase(fixtureCase('spector_analytic_weights'));
    expect(weighted.summary().weightsAre).toBe('frequency');
    const analytic = weighted.summary({ weightsAre: 'analytic' });
    expect(analytic.covType).toBe('hc0');
    expect(analytic.nObs).toBe(32);
    expect(analytic.warnings.some((w) => /^analytic weights:/.test(w))).toBe(true);
  });
  it('a single-constraint Wald test is z², and the parser reads coefficients, constants and both sides', () => {
    const inf = model.summary({ tests: ['PSI = 0', '2*GPA - TUCE + 1 = 3 + PSI'] });
    expectClose(inf.tests[0]!.statistic, inf.z[3]! ** 2, 'W = z²');
    const r = parseHypothesis('2*GPA - TUCE + 1 = 3 + PSI', inf.names);
    expect(Array.from(r.R)).toEqual([0, 2, -1, -1]);
    expect(Array.from(r.r)).toEqual([2]);
    const factor = parseHypothesis('race[T.other] = race[T.white], versicolor: x = 0.5', ['intercept', 'race[T.other]', 'race[T.white]', 'versicolor: x']);
    expect(Array.from(factor.R)).toEqual([0, 1, -1, 0, 0, 0, 0, 1]);
    expect(Array.from(factor.r)).toEqual([0, 0.5]);
  });
  it('the normal quantile for any level', () => {
    // scipy.stats.norm.ppf(0.95) and ppf(0.995) (scipy 1.10.1).
    expectClose(normalCritical(0.9), 1.6448536269514722, 'z 0.9', 1e-14);
    expectClose(normalCritical(0.99), 2.5758293035489004, 'z 0.99', 1e-14);
    expectClose(normalQuantile(1e-10), -6.361340902404056, 'Φ⁻¹(1e-10)', 1e-13);
  });
});

describe('a penalized fit: sandwiches around the penalized Hessian', () => {
  // Independent of the kernels: the scores gᵢ = (pᵢ − yᵢ)x̃ᵢ from predictProba, cluster sums and
  // the meat formed here in plain loops, the bread taken from the nonrobust covariance.
  const model = fitCase(spector, { penalty: 'l2', C: 0.5 });
  const P = model.predictProba(table).map((r) => r[1]!);
  const cols = ['GPA', 'TUCE', 'PSI'].map((name) => (table.columns.find((c) => c.name === name) as { values: Float64Array }).values);
  const y = (table.columns.find((c) => c.name === 'GRADE') as { values: Float64Array }).values;
  const scores = P.map((p, i) => [1, ...cols.map((c) => c[i]!)].map((x) => (p - y[i]!) * x));
  const bread = model.summary().cov;
  const sandwich = (meat: number[][]) => {
    const B = (r: number, c: number) => bread[r * 4 + c]!;
    return Array.from({ length: 16 }, (_, rc) => {
      const [r, c] = [Math.floor(rc / 4), rc % 4];
      let v = 0;
      for (let a = 0; a < 4; a++) for (let b = 0; b < 4; b++) v += B(r, a) * meat[a]![b]! * B(b, c);
      return v;
    });
  };
  const outer = (vs: number[][]) => Array.from({ length: 4 }, (_, a) => Array.from({ length: 4 }, (_, b) => vs.reduce((s, v) => s + v[a]! * v[b]!, 0)));
  it('hc0 and cluster match the plain computation', () => {
    const hc0 = model.summary({ covType: 'hc0' });
    sandwich(outer(scores)).forEach((v, k) => expectClose(hc0.cov[k]!, v, `hc0 cov[${k}]`, 1e-9));
    const g = cyclicGroups(32);
    const sums = Array.from({ length: 8 }, (_, k) => [0, 1, 2, 3].map((j) => scores.reduce((s, sc, i) => s + (g[i] === k ? sc[j]! : 0), 0)));
    const factor = (8 / 7) * (31 / 28);
    const cl = model.summary({ covType: 'cluster', groups: g });
    sandwich(outer(sums)).forEach((v, k) => expectClose(cl.cov[k]!, factor * v, `cluster cov[${k}]`, 1e-9));
    expect(cl.warnings[0]).toMatch(/^the fit is penalized/);
  });
});

describe('one-line errors naming the option', () => {
  const model = fitCase(spector);
  const soft = fitCase(fixtureCase('iris_softmax_sepal_width_ref_setosa'));
  it.each([
    ['covType foo', () => model.summary({ covType: 'foo' as 'hc0' }), /^covType must be one of nonrobust, hc0, hc1, hc2, hc3, cluster, got the string "foo"$/],
    ['confLevel 1.5', () => model.summary({ confLevel: 1.5 }), /^confLevel must be a number between 0 and 1 \(exclusive\), got 1.5$/],
    ['unknown option', () => model.summary({ covtype: 'hc0' } as never), /^unknown summary option "covtype"/],
    ['cluster without groups', () => model.summary({ covType: 'cluster' }), /^covType 'cluster' needs groups/],
    ['groups of the wrong length', () => model.summary({ covType: 'cluster', groups: [1, 2, 3] }), /^groups has 3 cluster ids, but the data have 32 rows/],
    ['a missing cluster column', () => model.summary({ covType: 'cluster', groups: 'nope' }), /has no cluster column "nope"/],
    ['analytic weights with nonrobust', () => model.summary({ covType: 'nonrobust', weightsAre: 'analytic' }), /^analytic weights need a sandwich covariance/],
    ['analytic weights without weights', () => model.summary({ weightsAre: 'analytic' }), /^weightsAre 'analytic' applies to a weighted fit/],
    ['referenceClass on a binary model', () => model.summary({ referenceClass: 1 }), /^referenceClass applies to softmax models/],
    ['an unknown reference class', () => soft.summary({ referenceClass: 'rose' }), /^referenceClass "rose" is not one of the classes \(setosa, versicolor, virginica\)$/],
    ['hc3 on softmax', () => soft.summary({ covType: 'hc3' }), /^covType hc3 needs leverages, which are defined for the binary model only/],
    ['scale standardized without standardize', () => model.summary({ scale: 'standardized' }), /^scale 'standardized' applies to a model fitted with standardize/],
    ['margeff dummy with eyex', () => model.summary({ margeff: { at: 'mean', method: 'eyex', dummy: true } }), /^margeff.dummy takes method dydx or eydx/],
    ['margeff at nowhere', () => model.summary({ margeff: 'nowhere' as 'mean' }), /^margeff.at must be one of overall, mean, median, zero/],
    ['an unknown name, pointed at', () => model.summary({ tests: ['GPA = TUCX'] }), /^test "GPA = TUCX": no parameter named "TUCX" \(the parameters are intercept, GPA, TUCE, PSI\) at character 7 \(GPA = ⟨here⟩TUCX\)$/],
    ['a dangling operator', () => model.summary({ tests: ['GPA = '] }), /^test "GPA = ": the hypothesis ends where a parameter name or a number is expected at character 7/],
    ['two names multiplied', () => model.summary({ tests: ['GPA*TUCE = 0'] }), /^test "GPA\*TUCE = 0": a product of two parameters is not linear at character 5/],
    ['two equals signs', () => model.summary({ tests: ['GPA = TUCE = 0'] }), /^test "GPA = TUCE = 0": a second "=" in one constraint \(separate constraints with commas\) at character 12/],
    ['no parameter', () => model.summary({ tests: ['1 = 1'] }), /^test "1 = 1": the constraint names no parameter/],
    ['repeated constraints', () => model.summary({ tests: ['GPA = 0, 2*GPA = 0'] }), /^test "GPA = 0, 2\*GPA = 0": constraint 2 repeats the others/],
  ])('%s', (_name, run, message) => {
    expect(run).toThrow(message);
    try {
      run();
    } catch (e) {
      expect((e as Error).message).not.toMatch(/\n/);
      expect(e).not.toBeInstanceOf(InferenceError);
    }
  });
  it('a missing cluster id names its line and column', () => {
    const rows = readCsv(`${FIXTURES}spector_clustered.csv`);
    const records = Array.from({ length: rows.n }, (_, i) => ({
      GPA: (rows.columns[0] as { values: Float64Array }).values[i]!, TUCE: (rows.columns[1] as { values: Float64Array }).values[i]!,
      PSI: (rows.columns[2] as { values: Float64Array }).values[i]!, GRADE: (rows.columns.find((c) => c.name === 'GRADE') as { values: Float64Array }).values[i]!,
      g: i === 5 ? null : i % 4,
    }));
    const m = fit(records, { target: 'GRADE', features: ['GPA', 'TUCE', 'PSI'], penalty: 'none' });
    expect(() => m.summary({ covType: 'cluster', groups: 'g' })).toThrow(/^the table passed to fit: row 5, column "g": the cluster id is missing/);
    expect(new SoftmaxRegression().options.positiveClass).toBeNull();
  });
});
