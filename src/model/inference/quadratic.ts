import { Arena } from '../../backend/arena.js';
import type { ModelMatrix } from '../../backend/modelMatrix.js';
import { linearLogits } from '../../loss/predict.js';

/**
 * Per-row linear predictors and quadratic forms of a binary model's rows, from the forward pass of
 * the kernels: what the leverages of HC2/HC3 and the prediction intervals need.
 *
 * Rows are read in θ order, x̃ᵢ = (1, xᵢ,order[0], xᵢ,order[1], …) (the 1 only with an intercept),
 * the order of inference's parameters. With V = LLᵀ (Cholesky),
 *
 *     ηᵢ = θᵀx̃ᵢ,     x̃ᵢᵀVx̃ᵢ = ‖Lᵀx̃ᵢ‖²,
 *
 * and Lᵀx̃ᵢ together with ηᵢ are m + 1 "logits" of one forward pass (X times an (m + 1)×p matrix):
 * no JavaScript loop reads X. Rows go through in chunks so that the m + 1 outputs per row never
 * take more than about 32 MB of kernel memory.
 */

/**
 * The lower Cholesky factor L of a symmetric positive-definite V (m×m, row-major; V = LLᵀ), computed
 * by the kernel's factorization; null when V is not positive definite (to relative precision 1e-14).
 */
export function choleskyLower(V: ArrayLike<number>, m: number): Float64Array | null {
  const arena = new Arena(m * m * 8 + 1024);
  const a = arena.float64(m * m);
  for (let i = 0; i < m * m; i++) a.view[i] = V[i]!;
  const failed = arena.fn('cholesky')(a.ptr, m, 1e-14);
  if (failed >= 0) return null;
  return Float64Array.from(a.view);
}

/** The rows [r0, r1) of M, as a model matrix over the same kernel memory. */
function rowSlice(M: ModelMatrix, r0: number, r1: number): ModelMatrix {
  const d = M.denseCols;
  return {
    rows: r1 - r0,
    dense: M.dense.subarray(r0 * d, r1 * d),
    denseCols: d,
    blocks: M.blocks.map((b) => ({ codes: b.codes.subarray(r0, r1), values: b.values === null ? null : b.values.subarray(r0, r1), width: b.width })),
    cols: M.cols,
  };
}

/**
 * ηᵢ = θᵀx̃ᵢ and qᵢ = x̃ᵢᵀVx̃ᵢ for every row of M (see above). `order[j]` is M's column of
 * parameter j (after the intercept); θ has m = p + (intercept ? 1 : 0) entries, V is m×m
 * (row-major). Throws a RangeError when V is not positive definite.
 */
export function predictorAndQuadratic(
  M: ModelMatrix, order: Int32Array, fitIntercept: boolean, theta: ArrayLike<number>, V: ArrayLike<number>, threads: number | 'auto',
): { eta: Float64Array; quadratic: Float64Array } {
  const p = M.cols;
  const c0 = fitIntercept ? 1 : 0;
  const m = p + c0;
  if (theta.length !== m || V.length !== m * m) throw new RangeError(`predictorAndQuadratic: θ has ${theta.length} entries and V ${V.length}, but there are ${m} parameters`);
  const L = choleskyLower(V, m);
  if (L === null) throw new RangeError('the covariance matrix is not positive definite, so the variances of the linear predictors cannot be formed');
  const Kq = m + 1;
  const coef = new Float64Array(Kq * p);
  const intercept = new Float64Array(Kq);
  for (let j = 0; j < p; j++) coef[order[j]!] = theta[c0 + j]!;
  if (fitIntercept) intercept[0] = theta[0]!;
  for (let k = 0; k < m; k++) {
    // Output 1 + k is (Lᵀx̃)ₖ = Σ_c L[c][k]·x̃_c.
    for (let j = 0; j < p; j++) coef[(1 + k) * p + order[j]!] = L[(c0 + j) * m + k]!;
    if (fitIntercept) intercept[1 + k] = L[k]!;
  }
  const n = M.rows;
  const eta = new Float64Array(n);
  const quadratic = new Float64Array(n);
  const chunk = Math.max(1024, Math.floor(4_000_000 / Kq));
  for (let r0 = 0; r0 < n; r0 += chunk) {
    const r1 = Math.min(n, r0 + chunk);
    const Z = linearLogits(rowSlice(M, r0, r1), { coef, intercept }, threads);
    for (let i = 0; i < r1 - r0; i++) {
      const row = i * Kq;
      eta[r0 + i] = Z[row]!;
      let s = 0;
      for (let k = 1; k < Kq; k++) s += Z[row + k]! * Z[row + k]!;
      quadratic[r0 + i] = s;
    }
  }
  return { eta, quadratic };
}
