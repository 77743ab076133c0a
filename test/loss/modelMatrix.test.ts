import { describe, expect, it } from 'vitest';
import { dense } from '../../src/backend/dense.js';
import { spdInverse, spdSolve } from '../../src/backend/linalg.js';
import { type ModelMatrix, allocModelMatrix, matrixRow } from '../../src/backend/modelMatrix.js';
import { binomialLoss } from '../../src/loss/binomial.js';
import { makeLayout } from '../../src/loss/layout.js';
import { multinomialLoss } from '../../src/loss/multinomial.js';
import { LinearModelObjective } from '../../src/loss/objective.js';
import { linearProbabilities } from '../../src/loss/predict.js';
import { createRng } from '../../src/util/random.js';

// The indexed (categorical) blocks of a model matrix must give exactly what the same columns give
// written out densely: values, gradients, Hessian products, full Hessians, probabilities. Every
// check compares the two routes, or a route with a plain JavaScript sum.

/** A random model matrix: 3 dense columns, a 4-level block, a 3-level block with values; ~10% of rows without a level. */
function randomMatrix(n: number, seed: number): ModelMatrix {
  const rng = createRng(seed);
  const M = allocModelMatrix(n, 3, [{ width: 4, hasValues: false }, { width: 3, hasValues: true }]);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 3; j++) M.dense[i * 3 + j] = rng.next() * 2 - 1;
    M.blocks[0]!.codes[i] = rng.next() < 0.1 ? -1 : rng.int(4);
    M.blocks[1]!.codes[i] = rng.next() < 0.1 ? -1 : rng.int(3);
    M.blocks[1]!.values![i] = rng.next() * 3;
  }
  return M;
}

/** The same matrix written out densely (n × p). */
function expand(M: ModelMatrix): ReturnType<typeof dense> {
  const out = new Float64Array(M.rows * M.cols);
  const row = new Float64Array(M.cols);
  for (let i = 0; i < M.rows; i++) out.set(matrixRow(M, i, row), i * M.cols);
  return dense(out, M.rows, M.cols);
}

function problem(K: number, fitIntercept: boolean, weighted: boolean, C: number, n = 500, threads: number | 'auto' = 1) {
  const M = randomMatrix(n, 7 + K);
  const rng = createRng(99 + K);
  const classes = K === 1 ? 2 : K;
  const y = Int32Array.from({ length: n }, () => rng.int(classes));
  const w = weighted ? Float64Array.from({ length: n }, () => 0.5 + rng.next()) : null;
  const layout = makeLayout(M.cols, K, fitIntercept);
  const loss = K === 1 ? binomialLoss : multinomialLoss(K);
  const x = Float64Array.from({ length: layout.dim }, () => rng.next() - 0.5);
  const make = (X: ModelMatrix | ReturnType<typeof dense>) => new LinearModelObjective({ X, loss, layout, y, weights: w, C, threads });
  return { M, x, y, w, layout, loss, indexed: make(M), written: make(expand(M)) };
}

const cases = [
  { name: 'binomial, intercept, weighted, C = 0.7', K: 1, fi: true, wt: true, C: 0.7 },
  { name: 'binomial, no intercept, unpenalized', K: 1, fi: false, wt: false, C: Infinity },
  { name: 'multinomial K = 3, intercept, weighted, C = 2', K: 3, fi: true, wt: true, C: 2 },
  { name: 'multinomial K = 4, no intercept, C = 0.1', K: 4, fi: false, wt: false, C: 0.1 },
];

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(tol * Math.max(1, Math.abs(b[i]!)));
};

describe.each(cases)('indexed blocks against the same columns written out: $name', ({ K, fi, wt, C }) => {
  const { x, indexed, written, M, layout, loss } = problem(K, fi, wt, C);
  const q = layout.dim;

  it('value and gradient', () => {
    const g1 = new Float64Array(q);
    const g2 = new Float64Array(q);
    expect(Math.abs(indexed.valueAndGradient(x, g1) - written.valueAndGradient(x, g2))).toBeLessThan(1e-13);
    close(g1, g2, 1e-13);
  });

  it('Hessian-vector products and the diagonal', () => {
    const v = Float64Array.from({ length: q }, (_, j) => Math.sin(j + 1));
    const h1 = new Float64Array(q);
    const h2 = new Float64Array(q);
    indexed.hessVec(x)(v, h1);
    written.hessVec(x)(v, h2);
    close(h1, h2, 1e-12);
    close(indexed.hessDiag(x), written.hessDiag(x), 1e-12);
  });

  it('the full Hessian matrix equals its columns from hessVec, on both routes', () => {
    const H1 = indexed.hessianMatrix(x);
    const H2 = written.hessianMatrix(x);
    close(H1, H2, 1e-12);
    const e = new Float64Array(q);
    const col = new Float64Array(q);
    const Hv = indexed.hessVec(x);
    for (let j = 0; j < q; j++) {
      e.fill(0);
      e[j] = 1;
      Hv(e, col);
      for (let i = 0; i < q; i++) expect(Math.abs(H1[i * q + j]! - col[i]!)).toBeLessThan(1e-12 * Math.max(1, Math.abs(col[i]!)));
    }
  });

  it('residuals sum to the gradient of the data term, and their outer Gram matches a plain sum', () => {
    const R = indexed.residuals(x);
    const p = M.cols;
    const g = new Float64Array(q);
    const row = new Float64Array(p);
    const meat = new Float64Array(q * q);
    const flat = (k: number, j: number) => (j < p ? k * p + j : K * p + k);
    for (let i = 0; i < M.rows; i++) {
      matrixRow(M, i, row);
      const xt = fi ? [...row, 1] : [...row];
      const score = new Float64Array(q);
      for (let k = 0; k < K; k++) xt.forEach((v, j) => {
        score[flat(k, j)] += R[i * K + k]! * v;
      });
      for (let a = 0; a < q; a++) {
        g[a] += score[a]!;
        for (let b = 0; b < q; b++) meat[a * q + b] += score[a]! * score[b]!;
      }
    }
    const grad = new Float64Array(q);
    indexed.valueAndGradient(x, grad);
    const ridge = Number.isFinite(C) ? 1 / (C * indexed.weightSum) : 0;
    for (let j = 0; j < q; j++) {
      const penalty = j < K * p ? ridge * x[j]! : 0;
      expect(Math.abs(g[j]! / indexed.weightSum - (grad[j]! - penalty))).toBeLessThan(1e-13);
    }
    close(indexed.outerGram(R), meat, 1e-12);
  });

  it('probabilities', () => {
    const c = { coef: x.subarray(0, layout.K * M.cols), intercept: fi ? x.subarray(layout.K * M.cols) : new Float64Array(layout.K) };
    close(linearProbabilities(M, loss, c), linearProbabilities(expand(M), loss, c), 1e-14);
  });
});

describe('bit-identical across thread counts with indexed blocks', () => {
  it('values, gradients and Hessians on 1, 2 and 3 threads', () => {
    const results = [1, 2, 3].map((threads) => {
      const { indexed, x, layout } = problem(3, true, true, 1, 5000, threads);
      const g = new Float64Array(layout.dim);
      const f = indexed.valueAndGradient(x, g);
      return { f, g, H: indexed.hessianMatrix(x) };
    });
    for (const r of results.slice(1)) {
      expect(r.f).toBe(results[0]!.f);
      expect(Array.from(r.g)).toEqual(Array.from(results[0]!.g));
      expect(Array.from(r.H)).toEqual(Array.from(results[0]!.H));
    }
  });
});

describe('Cholesky inverse and solve in kernel memory', () => {
  const rng = createRng(5);
  const n = 37;
  const B = Float64Array.from({ length: n * n }, () => rng.next() - 0.5);
  const A = new Float64Array(n * n); // BᵀB + I: symmetric positive definite
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = i === j ? 1 : 0;
    for (let k = 0; k < n; k++) s += B[k * n + i]! * B[k * n + j]!;
    A[i * n + j] = s;
  }
  it('A·A⁻¹ = I and A·x = b', () => {
    const inv = spdInverse(A, n);
    if (!(inv instanceof Float64Array)) throw new Error('not factorized');
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += A[i * n + k]! * inv[k * n + j]!;
      expect(Math.abs(s - (i === j ? 1 : 0))).toBeLessThan(1e-12);
    }
    const b = Float64Array.from({ length: n }, (_, i) => i - 3);
    const x = spdSolve(A, n, b);
    if (!(x instanceof Float64Array)) throw new Error('not factorized');
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += A[i * n + k]! * x[k]!;
      expect(Math.abs(s - b[i]!)).toBeLessThan(1e-11);
    }
  });
  it('a column that repeats an earlier one is named, whatever its scale', () => {
    // Gram matrix of columns c0, c1, c2 = 1e6·c1: singular at index 2.
    const cols = [Array.from({ length: 20 }, () => rng.next()), Array.from({ length: 20 }, () => rng.next())];
    cols.push(cols[1]!.map((v) => v * 1e6));
    const G = new Float64Array(9);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) G[i * 3 + j] = cols[i]!.reduce((s, v, t) => s + v * cols[j]![t]!, 0);
    expect(spdInverse(G, 3)).toEqual({ failed: 2 });
  });
});

describe('binary Gram over many chunks (rows taken in groups of 16, the dense part by 4×4 tiles)', () => {
  // 400,000 rows make dozens of chunks, claimed by two threads out of order: each chunk's scratch
  // must stay inside its own area (a 48-byte overrun once corrupted the next chunk's sums).
  const n = 400_003;
  const d = 7;
  const X = new Float64Array(n * d).map((_, t) => Math.sin(t * 1.7) + (t % 5) * 0.1);
  const y = Int32Array.from({ length: n }, (_, i) => ((i * 7) % 3 === 0 ? 1 : 0));
  const objective = (threads: number) => new LinearModelObjective({
    X: dense(X, n, d), loss: binomialLoss, layout: makeLayout(d, 1, true), y, weights: null, C: 1, threads,
  });
  const x = Float64Array.from({ length: d + 1 }, (_, j) => 0.1 * Math.cos(j));
  it('equals its columns from hessVec, bit-identical on 1 and 2 threads', () => {
    const [one, two] = [objective(1), objective(2)];
    const H1 = one.hessianMatrix(x);
    const H2 = two.hessianMatrix(x);
    expect(Array.from(H2)).toEqual(Array.from(H1));
    const q = d + 1;
    const hv = two.hessVec!(x);
    for (let j = 0; j < q; j++) {
      const e = new Float64Array(q);
      e[j] = 1;
      const col = new Float64Array(q);
      hv(e, col);
      for (let i = 0; i < q; i++) expect(Math.abs(col[i]! - H2[i * q + j]!)).toBeLessThan(1e-14);
    }
  });
  it('on a subset of columns, is the full Hessian\'s submatrix', () => {
    const obj = objective(2);
    const H = obj.hessianMatrix(x);
    const cols = Int32Array.from([1, 4, 6]);
    const S = obj.hessianMatrix(x, cols);
    const at = [1, 4, 6, d]; // the intercept stays, last
    const q = d + 1;
    for (let a = 0; a < 4; a++) for (let b = 0; b < 4; b++) expect(S[a * 4 + b]).toBeCloseTo(H[at[a]! * q + at[b]!]!, 14);
  });
});
