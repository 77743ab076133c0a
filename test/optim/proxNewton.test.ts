import { describe, expect, it } from 'vitest';
import { type ProxNewtonObjective, proxNewton, subgradientNorm } from '../../src/optim/proxNewton.js';
import { createRng } from '../../src/util/random.js';

// Proximal Newton on an objective written here (a small logistic regression in plain JavaScript,
// f(x) = Σᵢ log(1 + e^{aᵢ·x}) − yᵢ·aᵢ·x, over n rows), with the L1 part Σⱼ λ|xⱼ| on all but the last
// coordinate (an intercept).

function problem(n: number, d: number, seed: number) {
  const rng = createRng(seed);
  const A = Float64Array.from({ length: n * d }, (_, i) => (i % d === d - 1 ? 1 : rng.next() * 2 - 1));
  const y = Float64Array.from({ length: n }, (_, i) => (rng.next() < 1 / (1 + Math.exp(-(A[i * d]! - A[i * d + 1]!))) ? 1 : 0));
  const z = (x: Float64Array, i: number) => {
    let s = 0;
    for (let j = 0; j < d; j++) s += A[i * d + j]! * x[j]!;
    return s;
  };
  let partialCalls = 0;
  let fullCalls = 0;
  const valueAndGradient = (x: Float64Array, g: Float64Array): number => {
    g.fill(0);
    let f = 0;
    for (let i = 0; i < n; i++) {
      const zi = z(x, i);
      f += Math.max(zi, 0) + Math.log1p(Math.exp(-Math.abs(zi))) - y[i]! * zi;
      const r = 1 / (1 + Math.exp(-zi)) - y[i]!;
      for (let j = 0; j < d; j++) g[j] = g[j]! + r * A[i * d + j]!;
    }
    for (let j = 0; j < d; j++) g[j] = g[j]! / n;
    return f / n;
  };
  const hessian = (x: Float64Array): Float64Array => {
    const H = new Float64Array(d * d);
    for (let i = 0; i < n; i++) {
      const p = 1 / (1 + Math.exp(-z(x, i)));
      const w = (p * (1 - p)) / n;
      for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) H[a * d + b] = H[a * d + b]! + w * A[i * d + a]! * A[i * d + b]!;
    }
    return H;
  };
  const objective: ProxNewtonObjective = {
    dim: d,
    valueAndGradient: (x, g) => {
      fullCalls++;
      return valueAndGradient(x, g);
    },
    hessianMatrix: hessian,
    hessVec: () => () => {
      throw new Error('not used');
    },
  };
  // The same objective, also evaluating on a set of coordinates (exactly, NaN elsewhere), as
  // LinearModelObjective's passes over a working set's columns do.
  const partial: ProxNewtonObjective = {
    ...objective,
    partialValueAndGradient: (x, g, coords) => {
      partialCalls++;
      const f = valueAndGradient(x, g);
      const keep = new Set(coords);
      for (let j = 0; j < d; j++) if (!keep.has(j)) g[j] = NaN;
      return { value: f, complete: false };
    },
  };
  const l1 = (lam: number) => Float64Array.from({ length: d }, (_, j) => (j === d - 1 ? 0 : lam));
  const calls = () => ({ partial: partialCalls, full: fullCalls });
  return { objective, partial, hessian, l1, calls, d };
}

describe('proximal Newton', () => {
  it('reaches the optimum with a Hessian that is off by up to 40%, in few iterations (BFGS updates)', () => {
    const { objective, hessian, l1, d } = problem(400, 8, 3);
    const exact = proxNewton(objective, new Float64Array(d), { l1: l1(0.01), maxIter: 100, tol: 1e-11 });
    // D·H·D with D = diag(0.6 … 1.4): the kind of error a Hessian formed on a sample of rows has, larger.
    const D = Float64Array.from({ length: d }, (_, j) => 0.6 + (0.8 * j) / (d - 1));
    const skewed = (x: Float64Array, coords: Int32Array) => {
      const H = hessian(x);
      const m = coords.length;
      const out = new Float64Array(m * m);
      for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) out[a * m + b] = D[coords[a]!]! * H[coords[a]! * d + coords[b]!]! * D[coords[b]!]!;
      return out;
    };
    // Such a Hessian stands for one formed on a sample of the rows: not exact, so it is kept and updated.
    const r = proxNewton(objective, new Float64Array(d), { l1: l1(0.01), maxIter: 100, tol: 1e-11, hessian: skewed, hessianExact: false });
    expect(exact.converged && r.converged).toBe(true);
    expect(subgradientNorm(r.x, r.gradient, l1(0.01))).toBeLessThanOrEqual(1e-11);
    for (let j = 0; j < d; j++) expect(Math.abs(r.x[j]! - exact.x[j]!)).toBeLessThan(1e-9);
    // Plain steps with this Hessian shrink the subgradient norm by a constant factor each (about
    // 0.5 here: over 30 iterations from 1e-1 to 1e-11); the updated Hessian learns the error.
    expect(r.iterations).toBeLessThanOrEqual(15);
  });

  it('with partial evaluations: the same optimum, and the conditions checked on every coordinate', () => {
    const { objective, partial, l1, calls, d } = problem(300, 10, 5);
    const lam = l1(0.02);
    const plain = proxNewton(objective, new Float64Array(d), { l1: lam, maxIter: 100, tol: 1e-10 });
    const before = calls();
    const r = proxNewton(partial, new Float64Array(d), { l1: lam, maxIter: 100, tol: 1e-10 });
    const used = { partial: calls().partial - before.partial, full: calls().full - before.full };
    expect(used.partial).toBeGreaterThan(0);
    // The end is checked with a full evaluation: the gradient returned is whole.
    expect(used.full).toBeGreaterThan(0);
    expect(r.gradient.every(Number.isFinite)).toBe(true);
    expect(r.converged).toBe(true);
    expect(subgradientNorm(r.x, r.gradient, lam)).toBeLessThanOrEqual(1e-10);
    for (let j = 0; j < d; j++) {
      expect(Math.abs(r.x[j]! - plain.x[j]!)).toBeLessThan(1e-8);
      expect(r.x[j] === 0).toBe(plain.x[j] === 0);
    }
    expect(plain.x.some((v) => v === 0)).toBe(true);
  });
});
