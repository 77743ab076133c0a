import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { logreg, tempDir } from '../helpers/cli.js';
import { FIXTURES, type Case, expectByName, expectClose, expectP, fixtureCase } from './fixtures.js';

// The built command (dist/cli/main.js) with every --summary option, against the same statsmodels /
// R sandwich references as the API tests (test/fixtures/inference): one run per option, through
// --json, and one-line errors with exit code 1 and nothing written.

const SPECTOR = join(FIXTURES, 'spector_clustered.csv');
const BREAST = join(FIXTURES, 'breast_cancer.csv');
const IRIS = join(FIXTURES, 'iris.csv');
const BIRTHWT = join(FIXTURES, 'birthwt.csv');
const spectorArgs = ['train', '--data', SPECTOR, '--target', 'GRADE', '--features', 'GPA,TUCE,PSI', '--penalty', 'none', '--tol', '1e-10', '--quiet'];
const breastArgs = [
  'train', '--data', BREAST, '--target', 'diagnosis', '--features', 'mean_texture,mean_smoothness,mean_compactness,mean_concavity,mean_symmetry',
  '--penalty', 'none', '--tol', '1e-10', '--quiet',
];

/** `logreg …args --summary --json` and its inference object. */
function inference(args: string[]) {
  const r = logreg([...args, '--summary', '--json']);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout).inference;
}

function expectTable(inf: { names: string[]; coef: number[]; std_err: number[]; p_value: number[]; ci_low: number[]; ci_high: number[] }, c: Case, covType: string, level = '0.95') {
  const want = c.coef_table[covType]!;
  expectByName(inf.names, inf.coef, want.names, want.params, 'coef');
  expectByName(inf.names, inf.std_err, want.names, want.bse, 'std err');
  expectByName(inf.names, inf.p_value, want.names, want.p_value, 'p', true);
  expectByName(inf.names, inf.ci_low, want.names, want.conf_int[level]!.low, 'low');
  expectByName(inf.names, inf.ci_high, want.names, want.conf_int[level]!.high, 'high');
}

describe('train --summary options (spawned CLI, --json)', () => {
  const spector = fixtureCase('spector_raw');
  it('--cov-type hc1: the table, and inference.cov with its names', () => {
    const inf = inference([...spectorArgs, '--cov-type', 'hc1']);
    expect(inf.cov_type).toBe('hc1');
    expectTable(inf, spector, 'hc1');
    expect(inf.cov.names).toEqual(inf.names);
    const want = spector.cov.hc1!;
    want.names.forEach((a, r) => expectClose(inf.cov.matrix[inf.names.indexOf(a)][inf.names.indexOf(a)], want.matrix[r]![r]!, `var ${a}`));
    expectClose(inf.cov.matrix[1][2], want.matrix[1]![2]!, 'cov GPA, TUCE');
  });
  it.each(['hc2', 'hc3'])('--cov-type %s (R sandwich)', (covType) => {
    expectTable(inference([...spectorArgs, '--cov-type', covType]), spector, covType);
  });
  it('--cov-type cluster --cluster-column cluster', () => {
    const inf = inference([...spectorArgs, '--cov-type', 'cluster', '--cluster-column', 'cluster']);
    expect(inf.n_groups).toBe(8);
    expectTable(inf, spector, 'cluster');
  });
  it('--conf-level 0.9 and --odds-ratios', () => {
    const inf = inference([...spectorArgs, '--conf-level', '0.9', '--odds-ratios']);
    expect(inf.conf_level).toBe(0.9);
    expectTable(inf, spector, 'nonrobust', '0.9');
    const want = spector.coef_table.nonrobust!;
    expect(inf.odds_ratios.kind).toBe('odds ratio');
    expectByName(inf.odds_ratios.names, inf.odds_ratios.estimate, want.names, want.conf_int['0.9']!.exp!, 'odds ratio');
    expectByName(inf.odds_ratios.names, inf.odds_ratios.ci_low, want.names, want.conf_int['0.9']!.exp_low!, 'odds ratio low');
    expectByName(inf.odds_ratios.names, inf.odds_ratios.ci_high, want.names, want.conf_int['0.9']!.exp_high!, 'odds ratio high');
  });
  it.each([
    ['overall', [], 'dydx', false], ['mean', ['--margeff-eyex'], 'eyex', false], ['median', ['--margeff-dyex'], 'dyex', false],
    ['zero', ['--margeff-eydx'], 'eydx', false], ['overall', ['--margeff-dummy'], 'dydx', true], ['mean', ['--margeff-dummy', '--margeff-eydx'], 'eydx', true],
  ] as const)('--margeff %s %j', (at, flags, method, dummy) => {
    const inf = inference([...spectorArgs, '--margeff', at, ...flags]);
    const want = spector.margeff!.find((m) => m.cov_type === 'nonrobust' && m.at === at && m.method === method && m.dummy === dummy)!;
    expect(inf.margeff).toMatchObject({ at, method, dummy });
    expectByName(inf.margeff.names, inf.margeff.effect, want.names, want.effect, 'effect');
    want.names.forEach((n, k) => {
      const got = inf.margeff.std_err[inf.margeff.names.indexOf(n)];
      if (want.se[k] === 0) expect(got).toBe(0);
      else expectClose(got, want.se[k]!, `se ${n}`);
    });
    if (at === 'zero') expect(inf.margeff.z).toEqual([null, null, null].map((_, k) => (want.z![k] === null ? null : expect.any(Number))));
  });
  it('--test, repeated: joint and single hypotheses (χ², df, p)', () => {
    const inf = inference([...spectorArgs, '--cov-type', 'hc0', '--test', 'GPA = TUCE', '--test', 'GPA = 0, TUCE = 0']);
    expect(inf.tests.map((t: { hypothesis: string }) => t.hypothesis)).toEqual(['GPA = TUCE', 'GPA = 0, TUCE = 0']);
    spector.wald_tests!.slice(0, 2).forEach((w, k) => {
      const want = w.by_cov_type.hc0!;
      expect(inf.tests[k].df).toBe(want.df);
      expectClose(inf.tests[k].statistic, want.statistic, 'W');
      expectP(inf.tests[k].p_value, want.p_value, 'p');
    });
  });
  it('--positive-class 0', () => {
    const inf = inference([...spectorArgs, '--positive-class', '0', '--cov-type', 'hc3']);
    expect(inf.positive_class).toBe(0);
    expectTable(inf, fixtureCase('spector_positive_class_0'), 'hc3');
  });
  it('--weight-column w as frequency weights (default) and --weights-are analytic', () => {
    const weighted = [...spectorArgs, '--weight-column', 'w'];
    const freq = inference([...weighted, '--cov-type', 'cluster', '--cluster-column', 'cluster']);
    expect(freq.weights_are).toBe('frequency');
    expectTable(freq, fixtureCase('spector_frequency_weights'), 'cluster');
    const analytic = inference([...weighted, '--weights-are', 'analytic', '--cov-type', 'hc1']);
    expect(analytic.weights_are).toBe('analytic');
    expect(analytic.n_obs).toBe(32);
    expectTable(analytic, fixtureCase('spector_analytic_weights'), 'hc1');
    expect(inference([...weighted, '--weights-are', 'analytic']).cov_type).toBe('hc0');
  });
  it('--standardize reports original units; --scale standardized the fitted scale', () => {
    const original = inference([...breastArgs, '--standardize', '--cov-type', 'hc1']);
    expect(original).toMatchObject({ scale: 'original', back_transformed: true });
    expectTable(original, fixtureCase('breast_cancer_raw'), 'hc1');
    const z = inference([...breastArgs, '--standardize', '--cov-type', 'hc1', '--scale', 'standardized']);
    expect(z).toMatchObject({ scale: 'standardized', back_transformed: false });
    expectTable(z, fixtureCase('breast_cancer_standardized'), 'hc1');
  });
  it('--reference-class virginica (softmax), relative-risk ratios', () => {
    const c = fixtureCase('iris_softmax_sepal_width_ref_virginica');
    const inf = inference(['train', '--data', IRIS, '--target', 'species', '--features', 'sepal_width', '--penalty', 'none', '--tol', '1e-10', '--quiet', '--reference-class', 'virginica', '--odds-ratios', '--cov-type', 'hc0']);
    expect(inf.reference_class).toBe('virginica');
    expectTable(inf, c, 'hc0');
    expect(inf.odds_ratios.kind).toBe('relative-risk ratio');
  });
  it('a formula with a factor: bracketed names in --test', () => {
    const c = fixtureCase('birthwt_main');
    const inf = inference(['train', '--data', BIRTHWT, '--formula', c.design.formula!, '--penalty', 'none', '--tol', '1e-10', '--quiet', '--cov-type', 'hc2', '--test', 'race[T.other] = 0, race[T.white] = 0']);
    expectTable(inf, c, 'hc2');
    const want = c.wald_tests![0]!.by_cov_type.hc2!;
    expectClose(inf.tests[0].statistic, want.statistic, 'W');
  });
  it('the text report: covariance, scale, odds ratios, marginal effects, tests, at the chosen level', () => {
    const r = logreg([...spectorArgs, '--summary', '--cov-type', 'hc1', '--odds-ratios', '--margeff', 'overall', '--test', 'GPA = TUCE', '--conf-level', '0.9']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/standard errors robust, HC1 \(n\/\(n − k\) · HC0\); coefficients in the columns' own units/);
    expect(r.stdout).toMatch(/coef\s+std err\s+z\s+P>\|z\|\s+\[0\.05\s+0\.95\]/);
    expect(r.stdout).toMatch(/odds ratios \(exp of the coefficients/);
    expect(r.stdout).toMatch(/marginal effects: dy\/dx averaged over the rows; standard errors by the delta method/);
    expect(r.stdout).toMatch(/GPA = TUCE: {2}χ²\(1\) = 4\.0574\d*, p = 0\.0440/);
    const std = logreg([...breastArgs, '--standardize', '--summary']);
    expect(std.stdout).toMatch(/coefficients in original units \(back-transformed from the standardized fit; --scale standardized for the fitted scale\)/);
  });
});

describe('predict --intervals', () => {
  const spector = fixtureCase('spector_raw');
  it('p_low, p_high from the covariance train --summary stored, at --conf-level', () => {
    const dir = tempDir();
    const model = join(dir, 'model.json');
    expect(logreg([...spectorArgs, '--summary', '--cov-type', 'hc0', '--out', model]).status).toBe(0);
    expect(JSON.parse(readFileSync(model, 'utf8')).covariance.type).toBe('hc0');
    const r = logreg(['predict', '--model', model, '--data', SPECTOR, '--intervals', '--conf-level', '0.9']);
    expect(r.status).toBe(0);
    const [header, ...lines] = r.stdout.trim().split('\n');
    expect(header).toBe('prediction,p_0,p_1,p_low,p_high');
    const want = spector.prediction_intervals!.hc0!.interval['0.9']!;
    lines.forEach((line, i) => {
      const cells = line.split(',').map(Number);
      expectClose(cells[3]!, want.p_low[i]!, `p_low[${i}]`);
      expectClose(cells[4]!, want.p_high[i]!, `p_high[${i}]`);
    });
  });
  it('refused for softmax, and for a model trained without --summary', () => {
    const dir = tempDir();
    const soft = join(dir, 'soft.json');
    const plain = join(dir, 'plain.json');
    expect(logreg(['train', '--data', 'iris', '--summary', '--out', soft, '--quiet']).status).toBe(0);
    expect(logreg([...spectorArgs, '--out', plain]).status).toBe(0);
    const out = join(dir, 'p.csv');
    const a = logreg(['predict', '--model', soft, '--data', 'iris', '--intervals', '--out', out]);
    expect(a.status).toBe(1);
    expect(a.stderr).toMatch(/^logreg: --intervals: .*soft\.json is a softmax model; intervals are for the probability of a binary model's positive class\n$/);
    const b = logreg(['predict', '--model', plain, '--data', SPECTOR, '--intervals', '--out', out]);
    expect(b.status).toBe(1);
    expect(b.stderr).toMatch(/^logreg: --intervals: .*plain\.json carries no covariance; train it with --summary/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('one-line errors, exit code 1, nothing written', () => {
  it.each([
    ['--cov-type foo', ['--summary', '--cov-type', 'foo'], /^logreg: --cov-type must be one of nonrobust, hc0, hc1, hc2, hc3, cluster, got foo\n$/],
    ['--cov-type cluster without its column', ['--summary', '--cov-type', 'cluster'], /^logreg: --cov-type cluster needs --cluster-column <column of cluster ids>\n$/],
    ['a --cluster-column the file lacks', ['--summary', '--cov-type', 'cluster', '--cluster-column', 'nope'], /^logreg: --cluster-column: .*spector_clustered\.csv has no column "nope"\n$/],
    ['--test syntax', ['--summary', '--test', 'GPA = TUCX'], /^logreg: --test "GPA = TUCX": no parameter named "TUCX" \(the parameters are intercept, GPA, TUCE, PSI\) at character 7 \(GPA = ⟨here⟩TUCX\)\n$/],
    ['--test with a dangling operator', ['--summary', '--test', 'GPA + = 0'], /^logreg: --test "GPA \+ = 0": "=" where a parameter name or a number is expected at character 7/],
    ['--conf-level 1.5', ['--summary', '--conf-level', '1.5'], /^logreg: --conf-level must be a number between 0 and 1 \(exclusive\), got 1\.5\n$/],
    ['--weights-are analytic with nonrobust', ['--summary', '--weight-column', 'w', '--weights-are', 'analytic', '--cov-type', 'nonrobust'], /^logreg: --weights-are analytic needs a sandwich covariance/],
    ['--weights-are analytic without weights', ['--summary', '--weights-are', 'analytic'], /^logreg: --weights-are analytic applies to a weighted fit/],
    ['--margeff somewhere', ['--summary', '--margeff', 'somewhere'], /^logreg: --margeff must be one of overall, mean, median, zero, got somewhere\n$/],
    ['--margeff-dummy at the median', ['--summary', '--margeff', 'median', '--margeff-dummy'], /^logreg: --margeff-dummy takes --margeff overall or mean, not median\n$/],
    ['a summary option without --summary', ['--odds-ratios'], /^logreg: --odds-ratios applies to --summary; add --summary\n$/],
    ['--positive-class unknown', ['--positive-class', '7'], /^logreg: positiveClass "7" is not one of the labels \(0, 1\)\n$/],
  ])('%s', (_name, extra, message) => {
    const dir = tempDir();
    const out = join(dir, 'model.json');
    const r = logreg([...spectorArgs, ...extra, '--out', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  });
  it('--reference-class unknown', () => {
    const dir = tempDir();
    const out = join(dir, 'model.json');
    const r = logreg(['train', '--data', 'iris', '--summary', '--reference-class', 'rose', '--out', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('logreg: --reference-class "rose" is not one of the classes (setosa, versicolor, virginica)\n');
    expect(existsSync(out)).toBe(false);
  });
  it('--cov-type hc2 on softmax, --scale standardized without --standardize', () => {
    expect(logreg(['train', '--data', 'iris', '--summary', '--cov-type', 'hc2']).stderr).toMatch(/^logreg: --cov-type hc2 needs leverages, which are defined for the binary model only/);
    expect(logreg([...spectorArgs, '--summary', '--scale', 'standardized']).stderr).toMatch(/^logreg: --scale standardized applies to a model fitted with standardize/);
  });
});
