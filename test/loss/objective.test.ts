import { describe, expect, it } from 'vitest';
import { dense } from '../../src/backend/dense.js';
import { binomialLoss } from '../../src/loss/binomial.js';
import { makeLayout } from '../../src/loss/layout.js';
import { multinomialLoss } from '../../src/loss/multinomial.js';
import { LinearModelObjective } from '../../src/loss/objective.js';
import { linearProbabilities } from '../../src/loss/predict.js';
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
    X: dense(X, n, d),
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

/**
 * Logits given directly: one row per logit vector, no features (d = 0 is not a matrix, so one zero
 * feature), the logits in the intercepts. Returns each row's loss ℓ, the residual ∂ℓ/∂z (the
 * gradient of the unpenalized, unweighted objective with respect to b, times n) and the
 * probabilities.
 */
function onLogits(z: number[], y: number, K: number) {
  const layout = makeLayout(1, K, true);
  const X = dense(new Float64Array(1), 1, 1);
  const loss = K === 1 ? binomialLoss : multinomialLoss(K);
  const obj = new LinearModelObjective({ X, loss, layout, y: Int32Array.from([y]), weights: null, C: Infinity });
  const x = new Float64Array(layout.dim);
  x.set(z, K);
  const g = new Float64Array(layout.dim);
  const value = obj.valueAndGradient(x, g);
  const P = linearProbabilities(X, loss, { coef: new Float64Array(K), intercept: Float64Array.from(z) });
  return { value, residual: Array.from(g.subarray(K)), P: Array.from(P) };
}

describe('pointwise stable forms', () => {
  it('the binomial loss neither overflows nor loses tiny values', () => {
    expect(onLogits([1000], 0, 1).value).toBe(1000);
    expect(onLogits([-1000], 0, 1).value).toBe(0);
    expect(onLogits([1000], 1, 1).value).toBe(0);
    // log(1 + e^-40) = e^-40 to double precision, where the naive log(1 + exp(-40)) returns 0.
    expect(onLogits([-40], 0, 1).value / Math.exp(-40)).toBeCloseTo(1, 15);
    expect(onLogits([40], 1, 1).value / Math.exp(-40)).toBeCloseTo(1, 15);
    const P = onLogits([-800], 0, 1).P;
    expect(P[0]).toBe(1);
    expect(P[1]).toBeGreaterThanOrEqual(0);
    // σ(−40) keeps its relative precision too (computed directly, not as 1 − σ(40)).
    expect(onLogits([-40], 0, 1).P[1]! / Math.exp(-40)).toBeCloseTo(1, 14);
  });

  it('the multinomial loss is shift-invariant and finite for huge logits', () => {
    const big = onLogits([1000, 1001, 999], 2, 3);
    const shifted = onLogits([0, 1, -1], 2, 3);
    expect(big.value).toBeCloseTo(shifted.value, 12);
    expect(Number.isFinite(onLogits([1e300, -1e300, 0], 1, 3).value)).toBe(true);
    for (let k = 0; k < 3; k++) expect(big.P[k]).toBeCloseTo(shifted.P[k]!, 15);
  });

  it('a confident correct row keeps full relative precision in the binomial and multinomial losses', () => {
    expect(onLogits([40], 1, 1).value / Math.exp(-40)).toBeCloseTo(1, 12);
    expect(onLogits([0, 40], 1, 2).value / Math.exp(-40)).toBeCloseTo(1, 12);
    expect(onLogits([0, 40, 3], 1, 3).value / (Math.exp(-40) + Math.exp(-37))).toBeCloseTo(1, 12);
  });

  it('tied largest logits: each counts once', () => {
    // logsumexp(2, 2, 2) − 2 = log 3.
    expect(onLogits([2, 2, 2], 0, 3).value).toBeCloseTo(Math.log(3), 15);
    expect(onLogits([5, 1, 5, 5], 1, 4).value).toBeCloseTo(4 + Math.log(3 + Math.exp(-4)), 14);
  });

  it('binomial on z equals 2-class multinomial on (0, z): value, residual and probabilities', () => {
    const zs = [-30, -3, -0.2, 0, 0.4, 5, 35];
    for (const z of zs) {
      for (const yv of [0, 1]) {
        const b = onLogits([z], yv, 1);
        const m = onLogits([0, z], yv, 2);
        expect(b.value).toBeCloseTo(m.value, 14);
        expect(b.residual[0]).toBeCloseTo(m.residual[1]!, 15);
        expect(b.P[0]).toBeCloseTo(m.P[0]!, 15);
        expect(b.P[1]).toBeCloseTo(m.P[1]!, 15);
      }
    }
  });
});
