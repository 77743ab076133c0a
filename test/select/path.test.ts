import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LogisticRegression, crossValidate, fit, loadBundled, readCsv, regularizationPath, stratifiedFolds } from '../../src/index.js';
import { choose, summarize } from '../../src/select/cv.js';
import { createRng } from '../../src/util/random.js';

/**
 * Paths and cross-validation against glmnet's (test/fixtures/l1/l1_reference.json, `path` and `cv`:
 * breast-cancer standardized, L1; glmnet 4.1-6 with thresh 1e-14, every λ polished to the exact
 * optimum; see the fixture's README for the definitions of cvm, cvsd, lambda.min and lambda.1se).
 */

interface PathRef {
  standardized_file: string; target: string; lambda: number[]; C: number[]; lambda_max: number; objective: number[]; nonzero_count: number[];
  points: Array<{ index: number; coef: number[][]; intercept: number[] }>;
}
interface CvRef {
  standardized_file: string; target: string; foldid: number[]; C: number[];
  measures: { deviance: { exact_lambda: { cvm: number[]; cvsd: number[]; index_min: number; index_1se: number } } };
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/l1/l1_reference.json', import.meta.url), 'utf8')) as { path: PathRef; cv: CvRef };
const file = (f: string) => new URL(`../../${f}`, import.meta.url).pathname;

describe('the breast-cancer lasso path against glmnet', () => {
  const ref = fixture.path;
  const table = readCsv(file(ref.standardized_file));
  const r = regularizationPath(table, { target: ref.target, penalty: 'l1' });
  it('starts at glmnet\'s λ_max, with W = 0 exactly there, on glmnet\'s default grid of 100 values', () => {
    expect(Math.abs(r.lambdaMax! - ref.lambda_max) / ref.lambda_max).toBeLessThan(1e-12);
    expect(r.steps).toHaveLength(100);
    r.steps.forEach((s, t) => expect(Math.abs(s.lambda - ref.lambda[t]!) / ref.lambda[t]!).toBeLessThan(1e-12));
    expect(r.steps[0]!.nonzero).toBe(0);
    expect(r.CZero).toBeCloseTo(1 / (ref.lambda_max * table.n), 15);
  });
  it('every step at the exact optimum: objective within 1e-9 (relative), the same number of non-zeros', () => {
    r.steps.forEach((s, t) => {
      expect(Math.abs(s.objective - ref.objective[t]!) / ref.objective[t]!).toBeLessThan(1e-9);
      expect(s.nonzero).toBe(ref.nonzero_count[t]);
      expect(s.converged).toBe(true);
    });
    // The recorded points (coefficients in the file's column order): the same zeros, the same values.
    const names = table.columns.map((c) => c.name).filter((n) => n !== ref.target);
    for (const p of ref.points) {
      const s = r.steps[p.index]!;
      p.coef[0]!.forEach((v, j) => {
        const ours = s.coef[0]![r.featureNames.indexOf(names[j]!)]!;
        expect(ours !== 0).toBe(v !== 0);
        expect(Math.abs(ours - v)).toBeLessThan(1e-4);
      });
      expect(Math.abs(s.intercept[0]! - p.intercept[0]!)).toBeLessThan(1e-4);
    }
  });
  it('warm starts: each step equals a fit from scratch at its C, for fewer passes over the data than those fits', () => {
    let cold = 0;
    for (const t of [10, 40, 70, 99]) {
      const m = fit(table, { target: ref.target, penalty: 'l1', C: r.steps[t]!.C });
      expect(Math.abs(m.diagnostics.objective - r.steps[t]!.objective) / r.steps[t]!.objective).toBeLessThan(1e-11);
      cold += m.diagnostics.evaluations.valueAndGradient;
    }
    // Four cold fits cost more passes than the whole 100-step path costs per four steps.
    expect((r.passes / r.steps.length) * 4).toBeLessThan(cold);
  });
});

describe('paths with a ridge: every step is the fit at its C', () => {
  // A binary L2 path runs proximal Newton with no L1 part and carries its Hessian from one C to the
  // next; the cache keeps the Hessian without the ridge, which changes with C (an elastic net's too),
  // and each step adds its own. Softmax L2 paths run L-BFGS.
  const table = readCsv(file(fixture.path.standardized_file));
  const target = fixture.path.target;
  const cases = [
    { name: 'binary L2 (proximal Newton along the path)', penalty: 'l2' as const },
    { name: 'binary elastic net, a = 0.3', penalty: 'elasticnet' as const, l1Ratio: 0.3 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const options = { target, penalty: c.penalty, ...(c.l1Ratio === undefined ? {} : { l1Ratio: c.l1Ratio }) };
      const r = regularizationPath(table, { ...options, Cs: 12 });
      expect(r.hessians).toBeGreaterThan(0);
      for (const t of [1, 4, 8, 11]) {
        const step = r.steps[t]!;
        expect(step.converged).toBe(true);
        const m = fit(table, { ...options, C: step.C });
        expect(Math.abs(m.diagnostics.objective - step.objective) / step.objective).toBeLessThan(1e-9);
      }
    });
  }
  it('softmax L2 (iris): L-BFGS at every C, each step the fit at its C', () => {
    const { table: iris } = loadBundled('iris');
    const r = regularizationPath(iris, { target: 'species', penalty: 'l2', standardize: true, Cs: 8 });
    expect(r.hessians).toBe(0);
    for (const t of [2, 7]) {
      const m = fit(iris, { target: 'species', penalty: 'l2', standardize: true, C: r.steps[t]!.C });
      expect(Math.abs(m.diagnostics.objective - r.steps[t]!.objective) / r.steps[t]!.objective).toBeLessThan(1e-9);
    }
  });
});

describe('cross-validation against cv.glmnet (the same folds, every fold fitted at each λ of the grid)', () => {
  const ref = fixture.cv;
  const table = readCsv(file(ref.standardized_file));
  // tol 1e-8 for the folds too (by default they stop at 1e-6): exact fits, to compare with the
  // polished ones of the fixture.
  const cv = crossValidate(table, { target: ref.target, penalty: 'l1', foldIds: ref.foldid.map((f) => f - 1), CGrid: ref.C, scoring: 'log_loss', tol: 1e-8 });
  const quick = crossValidate(table, { target: ref.target, penalty: 'l1', foldIds: ref.foldid.map((f) => f - 1), CGrid: ref.C, scoring: 'log_loss' });
  const exact = ref.measures.deviance.exact_lambda;
  it('C_min and C_1se are glmnet\'s lambda.min and lambda.1se', () => {
    expect(cv.folds).toBe(10);
    expect(cv.best.indexMin).toBe(exact.index_min - 1);
    expect(cv.best.index1se).toBe(exact.index_1se - 1);
    expect(cv.CMin).toBeCloseTo(ref.C[exact.index_min - 1]!, 12);
    expect(cv.C1se).toBeCloseTo(ref.C[exact.index_1se - 1]!, 12);
  });
  it('mean and standard error per C: half of glmnet\'s binomial deviance, wherever glmnet does not clamp probabilities', () => {
    // glmnet's deviance clamps p to [1e-5, 1 − 1e-5]; log_loss (scikit-learn's) clips at 1e-15. The
    // two agree until some held-out probability falls below 1e-5 (from index 76, at the largest C);
    // beyond, the clamp can only lower glmnet's figure (a confident mistake costs at most −log 1e-5).
    for (let t = 0; t < 76; t++) {
      expect(Math.abs(2 * cv.best.points[t]!.mean - exact.cvm[t]!)).toBeLessThan(2e-5);
      expect(Math.abs(2 * cv.best.points[t]!.stdErr - exact.cvsd[t]!)).toBeLessThan(2e-5);
    }
    for (let t = 76; t < 100; t++) expect(2 * cv.best.points[t]!.mean).toBeGreaterThan(exact.cvm[t]! - 2e-5);
  });
  it('by default (folds at tol 1e-6): the same choices, every mean within 1e-4 of the exact fits\' and far inside a standard error', () => {
    expect(quick.best.indexMin).toBe(cv.best.indexMin);
    expect(quick.best.index1se).toBe(cv.best.index1se);
    quick.best.points.forEach((p, t) => {
      const exactMean = cv.best.points[t]!.mean;
      expect(Math.abs(p.mean - exactMean)).toBeLessThan(1e-4);
      expect(Math.abs(p.mean - exactMean)).toBeLessThan(0.01 * cv.best.points[t]!.stdErr);
    });
    expect(quick.model!.diagnostics.gradNorm).toBeLessThanOrEqual(1e-8); // the refit at the default tolerance
  });
  it('refits at the selected C on all rows: the path step at that C', () => {
    const step = regularizationPath(table, { target: ref.target, penalty: 'l1', CGrid: [cv.selected.C] }).steps[0]!;
    expect(cv.model!.diagnostics.objective).toBeCloseTo(step.objective, 12);
  });
  it('the refit starts from the path\'s optimum at that λ (PathGrid.start): the same optimum, in fewer iterations', () => {
    const path = new LogisticRegression({ penalty: 'l1', tol: 1e-6 }).fitPath(table, null, { target: ref.target }, { Cs: ref.C });
    const t = cv.best.indexMin;
    const lambda = path.steps[t]!.lambda;
    const cold = new LogisticRegression({ penalty: 'l1' }).fitPath(table, null, { target: ref.target }, { lambdas: [lambda] }).steps[0]!;
    const warm = new LogisticRegression({ penalty: 'l1' }).fitPath(table, null, { target: ref.target }, { lambdas: [lambda], start: path.steps[t]! }).steps[0]!;
    expect(warm.gradNorm).toBeLessThanOrEqual(1e-8);
    expect(Math.abs(warm.objective - cold.objective) / cold.objective).toBeLessThan(1e-12);
    expect(warm.iterations).toBeLessThan(cold.iterations);
    expect(() => new LogisticRegression({ penalty: 'l1' }).fitPath(table, null, { target: ref.target }, { lambdas: [lambda], start: { coef: new Float64Array(3), intercept: new Float64Array(1) } }))
      .toThrow(/the path's start has 3 coefficients and 1 intercepts; this model has 30 and 1/);
  });
});

describe('folds and the choice of C', () => {
  it('stratified folds: each class spread evenly, deterministic for a seed, shuffled by another', () => {
    const y = Int32Array.from({ length: 103 }, (_, i) => (i < 71 ? 0 : 1));
    const f = stratifiedFolds(y, 2, 5, 7);
    for (let k = 0; k < 2; k++) {
      const counts = [0, 1, 2, 3, 4].map((g) => y.filter((c, i) => c === k && f[i] === g).length);
      const m = k === 0 ? 71 : 32;
      for (const c of counts) expect([Math.floor(m / 5), Math.ceil(m / 5)]).toContain(c);
    }
    expect(Array.from(stratifiedFolds(y, 2, 5, 7))).toEqual(Array.from(f));
    expect(Array.from(stratifiedFolds(y, 2, 5, 8))).not.toEqual(Array.from(f));
  });
  it('C_1se: the smallest C whose mean is within one standard error of the best (both directions of "better")', () => {
    const pts = [0.9, 0.5, 0.32, 0.3, 0.31].map((mean, t) => ({ mean, stdErr: t === 3 ? 0.05 : 0.01 }));
    expect(choose(pts, false)).toEqual({ indexMin: 3, index1se: 2 });
    const acc = [0.5, 0.8, 0.9, 0.92, 0.91].map((mean) => ({ mean, stdErr: 0.025 }));
    expect(choose(acc, true)).toEqual({ indexMin: 3, index1se: 2 });
    // cv.glmnet's cvm and cvsd: weights are the folds' held-out weights.
    const s = summarize([1, 2, 4], [1, 1, 2]);
    expect(s.mean).toBeCloseTo(11 / 4, 15);
    expect(s.stdErr).toBeCloseTo(Math.sqrt(((1 - 2.75) ** 2 + (2 - 2.75) ** 2 + 2 * (4 - 2.75) ** 2) / 4 / 2), 15);
  });
  it('refuses bad settings in one sentence', () => {
    const { table, target } = loadBundled('iris');
    expect(() => crossValidate(table, { target, folds: 1 })).toThrow(/folds must be a whole number ≥ 2, got 1/);
    expect(() => crossValidate(table, { target, folds: 51 })).toThrow(/folds = 51 is more than the 50 rows of class/);
    expect(() => crossValidate(table, { target, CGrid: [] })).toThrow(/grid is empty/);
    expect(() => crossValidate(table, { target, penalty: 'none' })).toThrow(/needs a penalty/);
    expect(() => crossValidate(table, { target, penalty: 'elasticnet', l1Ratios: [2] })).toThrow(/every l1Ratio must be in \[0, 1\], got 2/);
    expect(() => crossValidate(table, { target, scoring: 'f1' as 'accuracy' })).toThrow(/scoring must be one of/);
  });
});

describe('cross-validation on every kind of model', () => {
  it('softmax with L1 (iris), accuracy: a curve, a choice, a refitted softmax model', () => {
    const { table, target } = loadBundled('iris');
    const cv = crossValidate(table, { target, penalty: 'l1', standardize: true, Cs: 12, folds: 5, scoring: 'accuracy' });
    expect(cv.model!.kind).toBe('softmax');
    expect(cv.best.points).toHaveLength(12);
    expect(cv.selected.mean).toBeGreaterThan(0.9);
    expect(cv.best.points[0]!.nonzero).toBe(0);
  });
  it('categorical columns and sample weights (birthwt), elastic net over two mixing values, ROC AUC', () => {
    const { table: raw, target } = loadBundled('birthwt');
    const w = { kind: 'numeric' as const, name: 'w', values: Float64Array.from({ length: raw.n }, (_, i) => 1 + (i % 3)), missing: 0 };
    const table = { ...raw, columns: [...raw.columns, w], names: [...raw.names, 'w'] };
    const cv = crossValidate(table, {
      target, formula: 'low ~ age + lwt + race + smoke + ht + ui', weightColumn: 'w', penalty: 'elasticnet', l1Ratios: [0.5, 1],
      Cs: 8, folds: 4, scoring: 'roc_auc',
    });
    expect(cv.curves.map((c) => c.l1Ratio)).toEqual([0.5, 1]);
    expect(cv.model!.featureNames).toContain('race[T.white]');
    expect(cv.selected.mean).toBeGreaterThan(0.5);
  });
  it('a table gives the numbers of the same data as a matrix, bit for bit, standardized or not (its folds copy rows from one frame)', () => {
    const { table, target } = loadBundled('breast_cancer');
    const names = table.names.filter((n) => n !== target);
    const columns = names.map((n) => table.columns.find((c) => c.name === n)!);
    const X = Array.from({ length: table.n }, (_, i) => columns.map((c) => (c.kind === 'numeric' ? c.values[i]! : NaN)));
    const yc = table.columns.find((c) => c.name === target)!;
    const y = Array.from({ length: table.n }, (_, i) => (yc.kind === 'numeric' ? yc.values[i]! : yc.levels[yc.codes[i]!]!));
    for (const standardize of [true, false]) {
      for (const penalty of ['l2', 'l1'] as const) {
        const fromTable = crossValidate(table, { target, penalty, standardize, Cs: 6, folds: 4 });
        const fromMatrix = crossValidate(X, y, { penalty, standardize, Cs: 6, folds: 4 });
        expect(fromTable.best.points.map((p) => p.scores)).toEqual(fromMatrix.best.points.map((p) => p.scores));
        expect(fromTable.model!.coef).toEqual(fromMatrix.model!.coef);
      }
    }
  });
  it('the same numbers on 1 and 2 threads (bit for bit)', () => {
    const rng = createRng(3);
    const n = 30_000;
    const d = 12;
    const X = Array.from({ length: n }, () => Array.from({ length: d }, () => rng.next() * 2 - 1));
    const y = X.map((row) => (row[0]! - 0.5 * row[3]! + 0.3 * row[7]! + 0.5 * (rng.next() - 0.5) > 0 ? 1 : 0));
    const run = (threads: number) => crossValidate(X, y, { penalty: 'l1', Cs: 6, folds: 3, threads });
    const [a, b] = [run(1), run(2)];
    expect(b.best.points.map((p) => p.mean)).toEqual(a.best.points.map((p) => p.mean));
    expect(b.model!.coef).toEqual(a.model!.coef);
  });
});
