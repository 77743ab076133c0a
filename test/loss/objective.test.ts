import { describe, expect, it } from 'vitest';
import { dense } from '../../src/backend/dense.js';
import { jsKernels } from '../../src/backend/kernels.js';
import { binomialLoss } from '../../src/loss/binomial.js';
import { makeLayout } from '../../src/loss/layout.js';
import { multinomialLoss } from '../../src/loss/multinomial.js';
import { LinearModelObjective } from '../../src/loss/objective.js';
import { logSumExp, sigmoid, softplus } from '../../src/loss/pointwise.js';
import { randomProblem } from '../helpers/random.js';

// Finite-difference checks of the one objective every solver and every evaluation uses.
// Central differences have truncation error O(h²)·f''' and rounding error O(ε/h); with h = 1e-5 on
// O(1) quantities both stay below ~1e-9, so 1e-7 relative agreement is a real check, not a loose one.
const H = 1e-5;

function makeObjective(K: number, fitIntercept: boolean, weighted: boolean, C: number, seed: number) {
  const n = 60;
  const d = 5;
  const { X, y, w, vec } = randomProblem(n, d, K === 1 ? 2 : K, seed);
  const layout = makeLayout(d, K, fitIntercept);
  const obj = new LinearModelObjective({
    kernels: jsKernels(dense(X, n, d)),
    loss: K === 1 ? binomialLoss : multinomialLoss(K),
    layout, y, weights: weighted ? w : null, C,
  });
  return { obj, x: vec(layout.dim, 0.7), v: vec(layout.dim), X, y, w, n, d, layout };
}

const cases = [
  { name: 'binomial, intercept, weighted, C=0.7', K: 1, fi: true, wt: true, C: 0.7 },
  { name: 'binomial, no intercept, unpenalized', K: 1, fi: false, wt: false, C: Infinity },
  { name: 'multinomial K=3, intercept, weighted, C=2', K: 3, fi: true, wt: true, C: 2 },
  { name: 'multinomial K=4, no intercept, C=0.1', K: 4, fi: false, wt: false, C: 0.1 },
];

describe.each(cases)('LinearModelObjective: $name', ({ K, fi, wt, C }) => {
  const { obj, x, v } = makeObjective(K, fi, wt, C, 11 + K);

  it('gradient matches central finite differences', () => {
    const g = new Float64Array(obj.dim);
    obj.valueAndGradient(x, g);
    const xp = Float64Array.from(x);
    const scratch = new Float64Array(obj.dim);
    for (let j = 0; j < obj.dim; j++) {
      xp[j] = x[j]! + H;
      const fp = obj.valueAndGradient(xp, scratch);
      xp[j] = x[j]! - H;
      const fm = obj.valueAndGradient(xp, scratch);
      xp[j] = x[j]!;
      const fd = (fp - fm) / (2 * H);
      expect(Math.abs(fd - g[j]!)).toBeLessThan(1e-7 * Math.max(1, Math.abs(g[j]!)));
    }
  });

  it('Hessian-vector product matches finite differences of the gradient', () => {
    const hv = new Float64Array(obj.dim);
    obj.hessVec(x)(v, hv);
    const gp = new Float64Array(obj.dim);
    const gm = new Float64Array(obj.dim);
    obj.valueAndGradient(x.map((xi, j) => xi + H * v[j]!), gp);
    obj.valueAndGradient(x.map((xi, j) => xi - H * v[j]!), gm);
    for (let j = 0; j < obj.dim; j++) {
      const fd = (gp[j]! - gm[j]!) / (2 * H);
      expect(Math.abs(fd - hv[j]!)).toBeLessThan(1e-7 * Math.max(1, Math.abs(hv[j]!)));
    }
  });

  it('hessVec is bound to its x even after the objective is evaluated elsewhere', () => {
    const op = obj.hessVec(x);
    const before = new Float64Array(obj.dim);
    op(v, before);
    obj.valueAndGradient(x.map((xi) => xi + 1), new Float64Array(obj.dim));
    const after = new Float64Array(obj.dim);
    op(v, after);
    expect(Array.from(after)).toEqual(Array.from(before));
  });

  it('hessDiag equals the diagonal of the Hessian built column by column from hessVec', () => {
    const diag = obj.hessDiag(x);
    const op = obj.hessVec(x);
    const e = new Float64Array(obj.dim);
    const col = new Float64Array(obj.dim);
    for (let j = 0; j < obj.dim; j++) {
      e.fill(0);
      e[j] = 1;
      op(e, col);
      expect(diag[j]).toBeCloseTo(col[j]!, 12);
    }
  });

  it('value() and valueAndGradient() agree, and dataLoss + penalty = J', () => {
    const g = new Float64Array(obj.dim);
    const f = obj.valueAndGradient(x, g);
    expect(obj.value(x)).toBeCloseTo(f, 13);
    expect(obj.dataLoss(x)).toBeLessThanOrEqual(f);
  });

  it('a mini-batch of every row gives the full gradient', () => {
    const g = new Float64Array(obj.dim);
    const gb = new Float64Array(obj.dim);
    const f = obj.valueAndGradient(x, g);
    const rows = Uint32Array.from({ length: obj.nSamples }, (_, i) => obj.nSamples - 1 - i);
    const fb = obj.batchValueAndGradient(x, gb, rows, rows.length);
    expect(fb).toBeCloseTo(f, 12);
    for (let j = 0; j < obj.dim; j++) expect(gb[j]).toBeCloseTo(g[j]!, 12);
  });
});

describe('pointwise stable forms', () => {
  it('softplus and sigmoid neither overflow nor lose tiny values', () => {
    expect(softplus(1000)).toBe(1000);
    expect(softplus(-1000)).toBe(0);
    // log(1 + e^-40) = e^-40 to double precision, where the naive log(1 + exp(-40)) returns 0.
    expect(softplus(-40) / Math.exp(-40)).toBeCloseTo(1, 15);
    expect(sigmoid(-800)).toBeGreaterThanOrEqual(0);
    expect(sigmoid(800)).toBe(1);
    expect(sigmoid(-40) / Math.exp(-40)).toBeCloseTo(1, 12);
  });

  it('logSumExp is shift-invariant and finite for huge logits', () => {
    const z = Float64Array.from([1000, 1001, 999]);
    const shifted = Float64Array.from([0, 1, -1]);
    expect(logSumExp(z, 0, 3)).toBeCloseTo(1000 + logSumExp(shifted, 0, 3), 10);
  });

  it('a confident correct row keeps full relative precision in the binomial and multinomial losses', () => {
    const Z1 = Float64Array.from([40]);
    const y = Int32Array.from([1]);
    const l1 = binomialLoss.valueBlock(Z1, 1, 0, null, y, null);
    expect(l1 / Math.exp(-40)).toBeCloseTo(1, 12);
    const Z2 = Float64Array.from([0, 40]);
    const l2 = multinomialLoss(2).valueBlock(Z2, 1, 0, null, y, null);
    expect(l2 / Math.exp(-40)).toBeCloseTo(1, 12);
  });

  it('binomial on z equals 2-class multinomial on (0, z): value, gradient and probabilities', () => {
    const zs = [-30, -3, -0.2, 0, 0.4, 5, 35];
    for (const z of zs) {
      for (const yv of [0, 1]) {
        const y = Int32Array.from([yv]);
        const B = Float64Array.from([z]);
        const M = Float64Array.from([0, z]);
        const lb = binomialLoss.gradientBlock(B, 1, 0, null, y, null, null);
        const lm = multinomialLoss(2).gradientBlock(M, 1, 0, null, y, null, null);
        expect(lb).toBeCloseTo(lm, 14);
        expect(B[0]).toBeCloseTo(M[1]!, 15);
      }
      const pb = new Float64Array(2);
      const pm = new Float64Array(2);
      binomialLoss.probabilities(Float64Array.from([z]), 1, pb);
      multinomialLoss(2).probabilities(Float64Array.from([0, z]), 1, pm);
      expect(pb[0]).toBeCloseTo(pm[0]!, 15);
      expect(pb[1]).toBeCloseTo(pm[1]!, 15);
    }
  });
});
