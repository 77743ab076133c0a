import { describe, expect, test } from 'vitest';
import { denseColumns, simplex, type LPProblem, type LPResult } from '../../src/optim/simplex.js';
import { createRng } from '../../src/util/random.js';

/** A problem from column-major A (m×N). */
function problem(A: number[][], c: number[], lower: number[], upper: number[], b: number[]): LPProblem {
  const m = b.length;
  const N = c.length;
  const cm = new Float64Array(m * N);
  for (let i = 0; i < m; i++) for (let j = 0; j < N; j++) cm[j * m + i] = A[i][j];
  return {
    columns: denseColumns(cm, m, N),
    c: Float64Array.from(c),
    lower: Float64Array.from(lower),
    upper: Float64Array.from(upper),
    b: Float64Array.from(b),
  };
}

/**
 * The optimality certificate of a bounded-variable LP: A x = b, l ≤ x ≤ u, and reduced costs
 * d = c − Aᵀy with d_j ≥ 0 where x_j = l_j < u_j, d_j ≤ 0 where x_j = u_j > l_j, d_j = 0 strictly
 * between. Any y with these properties proves x optimal (weak duality), whatever code produced it.
 */
function expectCertified(pr: LPProblem, r: LPResult, tol = 1e-9): void {
  const m = pr.b.length;
  const N = pr.c.length;
  const col = new Float64Array(m);
  const Ax = new Float64Array(m);
  for (let j = 0; j < N; j++) {
    pr.columns.column(j, col);
    for (let i = 0; i < m; i++) Ax[i] += col[i] * r.x[j];
    let d = pr.c[j];
    for (let i = 0; i < m; i++) d -= col[i] * r.duals[i];
    const x = r.x[j];
    expect(x).toBeGreaterThanOrEqual(pr.lower[j] - tol);
    expect(x).toBeLessThanOrEqual(pr.upper[j] + tol);
    const atLower = Math.abs(x - pr.lower[j]) <= tol;
    const atUpper = Math.abs(x - pr.upper[j]) <= tol;
    if (atLower && !atUpper) expect(d).toBeGreaterThanOrEqual(-tol);
    else if (atUpper && !atLower) expect(d).toBeLessThanOrEqual(tol);
    else if (!atLower && !atUpper) expect(Math.abs(d)).toBeLessThanOrEqual(tol);
  }
  for (let i = 0; i < m; i++) expect(Ax[i]).toBeCloseTo(pr.b[i], 9);
}

describe('simplex', () => {
  test('solves a small bounded LP (optimum found by hand: x = (1, 3), value −7)', () => {
    // max x1 + 2x2 s.t. x1 + x2 ≤ 4, x1 − x2 ≤ 1, 0 ≤ x ≤ 3 (slacks s, t).
    const pr = problem(
      [
        [1, 1, 1, 0],
        [1, -1, 0, 1],
      ],
      [-1, -2, 0, 0],
      [0, 0, 0, 0],
      [3, 3, Infinity, Infinity],
      [4, 1],
    );
    const r = simplex(pr);
    expect(r.status).toBe('optimal');
    expect(r.objective).toBeCloseTo(-7, 12);
    expect(Array.from(r.x.subarray(0, 2))).toEqual([1, 3]);
    expectCertified(pr, r);
  });

  test("terminates on Beale's example, which cycles under Dantzig's rule without a safeguard", () => {
    // Beale (1955): min −¾x4 + 20x5 − ½x6 + 6x7; optimum −5/4 at x1 = ¾, x4 = 1, x6 = 1.
    const pr = problem(
      [
        [1, 0, 0, 0.25, -8, -1, 9],
        [0, 1, 0, 0.5, -12, -0.5, 3],
        [0, 0, 1, 0, 0, 1, 0],
      ],
      [0, 0, 0, -0.75, 20, -0.5, 6],
      [0, 0, 0, 0, 0, 0, 0],
      [Infinity, Infinity, Infinity, Infinity, Infinity, Infinity, Infinity],
      [0, 0, 1],
    );
    for (const initialBasis of [undefined, Int32Array.from([0, 1, 2])]) {
      const r = simplex(pr, initialBasis === undefined ? {} : { initialBasis });
      expect(r.status).toBe('optimal');
      expect(r.objective).toBeCloseTo(-1.25, 12);
      expectCertified(pr, r);
    }
  });

  test('reports infeasible and unbounded programs', () => {
    // x1 + x2 = 5 with 0 ≤ x ≤ 1.
    expect(simplex(problem([[1, 1]], [0, 0], [0, 0], [1, 1], [5])).status).toBe('infeasible');
    // min −x1 s.t. x1 − x2 = 0, x ≥ 0.
    expect(simplex(problem([[1, -1]], [-1, 0], [0, 0], [Infinity, Infinity], [0])).status).toBe('unbounded');
  });

  test('matches brute-force vertex enumeration on random bounded LPs', () => {
    const rng = createRng(2024);
    const m = 3;
    const N = 7;
    for (let trial = 0; trial < 60; trial++) {
      const A = Array.from({ length: m }, () => Array.from({ length: N }, () => Math.round((rng.next() * 4 - 2) * 4) / 4));
      const lower = Array.from({ length: N }, () => Math.round(rng.next() * 4 - 2));
      const upper = lower.map((l) => l + 1 + Math.round(rng.next() * 3));
      const x0 = lower.map((l, j) => l + rng.next() * (upper[j] - l));
      const b = A.map((row) => row.reduce((s, a, j) => s + a * x0[j], 0));
      const c = Array.from({ length: N }, () => Math.round((rng.next() * 6 - 3) * 2) / 2);
      const pr = problem(A, c, lower, upper, b);
      const r = simplex(pr);
      expect(r.status).toBe('optimal');
      expect(r.objective).toBeCloseTo(bruteForce(A, c, lower, upper, b), 8);
      expectCertified(pr, r, 1e-8);
    }
  });

  test('a feasible initial basis skips phase 1 and reaches the same optimum', () => {
    const pr = problem(
      [
        [2, 1, 1, 0],
        [1, 3, 0, 1],
      ],
      [-3, -5, 0, 0],
      [0, 0, 0, 0],
      [Infinity, Infinity, Infinity, Infinity],
      [8, 9],
    );
    const cold = simplex(pr);
    const warm = simplex(pr, { initialBasis: Int32Array.from([2, 3]) });
    expect(warm.status).toBe('optimal');
    expect(warm.objective).toBeCloseTo(cold.objective, 12);
    // max 3x1 + 5x2 s.t. 2x1 + x2 ≤ 8, x1 + 3x2 ≤ 9: vertex (3, 2), value 19.
    expect(cold.objective).toBeCloseTo(-19, 12);
  });

  test('refuses malformed problems with RangeErrors naming the argument', () => {
    const ok = problem([[1, 1]], [0, 0], [0, 0], [1, 1], [1]);
    expect(() => simplex({ ...ok, c: new Float64Array(3) })).toThrow(/c has length 3/);
    expect(() => simplex({ ...ok, lower: Float64Array.from([-Infinity, 0]) })).toThrow(RangeError);
    expect(() => simplex({ ...ok, upper: Float64Array.from([-1, 1]) })).toThrow(/upper\[0\]/);
    expect(() => simplex({ ...ok, b: new Float64Array(2) })).toThrow(/b has length 2/);
    expect(() => simplex(ok, { initialBasis: new Int32Array(2) })).toThrow(/initialBasis/);
  });
});

/** min cᵀx over A x = b, l ≤ x ≤ u (all finite) by trying every basis and every bound pattern. */
function bruteForce(A: number[][], c: number[], lower: number[], upper: number[], b: number[]): number {
  const m = b.length;
  const N = c.length;
  let best = Infinity;
  const choose = (start: number, picked: number[]): void => {
    if (picked.length === m) {
      const rest = [...Array(N).keys()].filter((j) => !picked.includes(j));
      for (let mask = 0; mask < 1 << rest.length; mask++) {
        const x = new Array<number>(N).fill(0);
        rest.forEach((j, t) => (x[j] = mask & (1 << t) ? upper[j] : lower[j]));
        const rhs = b.map((bi, i) => bi - rest.reduce((s, j) => s + A[i][j] * x[j], 0));
        const xb = solve(picked.map((j) => A.map((row) => row[j])), rhs);
        if (xb === null) continue;
        picked.forEach((j, k) => (x[j] = xb[k]));
        if (x.some((v, j) => v < lower[j] - 1e-9 || v > upper[j] + 1e-9)) continue;
        best = Math.min(best, x.reduce((s, v, j) => s + c[j] * v, 0));
      }
      return;
    }
    for (let j = start; j < N; j++) choose(j + 1, [...picked, j]);
  };
  choose(0, []);
  return best;
}

/** Solves B z = r for B given by its columns (Gaussian elimination); null when singular. */
function solve(cols: number[][], r: number[]): number[] | null {
  const m = r.length;
  const M = r.map((ri, i) => [...cols.map((col) => col[i]), ri]);
  for (let k = 0; k < m; k++) {
    let p = k;
    for (let i = k + 1; i < m; i++) if (Math.abs(M[i][k]) > Math.abs(M[p][k])) p = i;
    if (Math.abs(M[p][k]) < 1e-12) return null;
    [M[k], M[p]] = [M[p], M[k]];
    for (let i = 0; i < m; i++) {
      if (i === k) continue;
      const f = M[i][k] / M[k][k];
      for (let t = k; t <= m; t++) M[i][t] -= f * M[k][t];
    }
  }
  return M.map((row, k) => row[m] / row[k]);
}
