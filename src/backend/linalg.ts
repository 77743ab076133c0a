import { Arena } from './arena.js';

/**
 * Dense symmetric positive-definite algebra in kernel memory (src/backend/wasm/linalg.ts), for the
 * matrices of a fit's coefficients (Hessians, covariances: order q up to a few thousand): the
 * Cholesky factorization, solves and the inverse, each in a scratch arena of its own.
 */

/** Why a matrix could not be factorized: the first column whose pivot failed (0-based). */
export interface NotPositiveDefinite {
  failed: number;
}

/**
 * (A)⁻¹ for a symmetric positive-definite A (n×n, row-major; only the lower triangle is read),
 * by A = LLᵀ and L⁻ᵀL⁻¹. A pivot not above tol times its column's diagonal entry means column j is
 * (to that relative precision) a combination of the columns before it: then `{ failed: j }`. The
 * test is relative to each column's own scale, so it does not depend on the columns' units.
 */
export function spdInverse(A: Float64Array, n: number, tol = 1e-10): Float64Array | NotPositiveDefinite {
  const arena = new Arena(3 * n * n * 8 + 1024);
  const a = arena.float64(n * n);
  a.view.set(A.subarray(0, n * n));
  const failed = arena.fn('cholesky')(a.ptr, n, tol);
  if (failed >= 0) return { failed };
  const out = arena.float64(n * n);
  const work = arena.float64(n * n);
  arena.fn('choleskyInverse')(a.ptr, n, out.ptr, work.ptr);
  return Float64Array.from(out.view);
}

/** x with A·x = b for a symmetric positive-definite A (n×n; lower triangle read), or the failing pivot. */
export function spdSolve(A: Float64Array, n: number, b: Float64Array, tol = 1e-10): Float64Array | NotPositiveDefinite {
  const factor = spdFactor(A, n, tol);
  return 'failed' in factor ? factor : factor.solve(b);
}

/** A Cholesky factorization kept in kernel memory, to solve with it several times. */
export interface CholeskyFactor {
  /** x with A·x = b. */
  solve(b: Float64Array): Float64Array;
}

/** The Cholesky factor of a symmetric positive-definite A (lower triangle read), or the failing pivot. */
export function spdFactor(A: Float64Array, n: number, tol = 1e-10): CholeskyFactor | NotPositiveDefinite {
  const arena = new Arena(n * n * 8 + n * 8 + 1024);
  const a = arena.float64(n * n);
  a.view.set(A.subarray(0, n * n));
  const failed = arena.fn('cholesky')(a.ptr, n, tol);
  if (failed >= 0) return { failed };
  const x = arena.float64(n);
  const solve = arena.fn('choleskySolve');
  return {
    solve(b: Float64Array): Float64Array {
      x.view.set(b);
      solve(a.ptr, n, x.ptr);
      return Float64Array.from(x.view);
    },
  };
}
