import { describe, expect, it } from 'vitest';
import { LogisticRegression, SoftmaxRegression, fit, loadBundled, takeTableRows } from '../../src/index.js';

/** scikit-learn's names in the API: predictLogProba, decisionFunction, warmStart, positiveClass. */

describe('predictLogProba and decisionFunction', () => {
  it('log-probabilities are the logs of predictProba, and stay finite where a probability underflows to 0', () => {
    const { table, target } = loadBundled('iris');
    const m = fit(table, { target, C: 100 });
    const P = m.predictProba(table);
    const L = m.predictLogProba(table);
    L.forEach((row, i) => row.forEach((v, k) => {
      if (P[i]![k]! > 1e-300) expect(v).toBeCloseTo(Math.log(P[i]![k]!), 12);
      expect(Number.isFinite(v)).toBe(true);
    }));
    // A row so far out that one probability is 0 in double precision: its log is still exact.
    const far = [[1000, 0, 0, 0]];
    const z = (m as SoftmaxRegression).decisionFunction(far)[0]!;
    const lse = Math.max(...z) + Math.log(z.reduce((s, v) => s + Math.exp(v - Math.max(...z)), 0));
    expect(m.predictLogProba(far)[0]).toEqual(z.map((v) => v - lse));
    expect(Math.min(...m.predictProba(far)[0]!)).toBe(0);
  });
  it('binary: decisionFunction is the positive class\'s logit, log-probabilities (−softplus(z), −softplus(−z))', () => {
    const { table, target } = loadBundled('breast-cancer');
    const m = fit(table, { target, standardize: true }) as LogisticRegression;
    const z = m.decisionFunction(table);
    const L = m.predictLogProba(table);
    z.forEach((zi, i) => {
      expect(L[i]![1]).toBeCloseTo(-Math.log1p(Math.exp(-zi)), 12);
      expect(L[i]![0]).toBeCloseTo(-Math.log1p(Math.exp(zi)), 12);
    });
  });
});

describe('warmStart', () => {
  it('a refit starts from the previous coefficients: the same optimum in fewer iterations', () => {
    const { table, target } = loadBundled('breast-cancer');
    const most = takeTableRows(table, Uint32Array.from({ length: 500 }, (_, i) => i));
    const opts = { standardize: true, solver: 'lbfgs' as const };
    const cold = new LogisticRegression(opts).fit(table, null, { target });
    const warm = new LogisticRegression({ ...opts, warmStart: true }).fit(most, null, { target });
    warm.fit(table, null, { target });
    expect(warm.diagnostics.iterations).toBeLessThan(cold.diagnostics.iterations);
    expect(Math.abs(warm.diagnostics.objective - cold.diagnostics.objective)).toBeLessThan(1e-12);
  });
  it('is ignored when the columns or classes differ, and refused when not a boolean', () => {
    const iris = loadBundled('iris');
    const m = new SoftmaxRegression({ warmStart: true }).fit(iris.table, null, { target: iris.target, features: ['sepal_length', 'sepal_width'] });
    m.fit(iris.table, null, { target: iris.target });
    expect(m.nFeatures).toBe(4);
    expect(m.diagnostics.converged).toBe(true);
    expect(() => new LogisticRegression({ warmStart: 'yes' as unknown as boolean })).toThrow(/warmStart must be true or false/);
  });
});
