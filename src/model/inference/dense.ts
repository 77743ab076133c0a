/**
 * Small dense matrix helpers for inference (matrices of the parameters: m×m with m up to a few
 * thousand), row-major Float64Arrays. Plain loops in i-k-j order, so that inner loops run over
 * contiguous rows.
 */

/** A·B for A (r×s) and B (s×t). */
export function matMul(A: ArrayLike<number>, B: ArrayLike<number>, r: number, s: number, t: number): Float64Array {
  const out = new Float64Array(r * t);
  for (let i = 0; i < r; i++) {
    const oi = i * t;
    for (let k = 0; k < s; k++) {
      const a = A[i * s + k]!;
      if (a === 0) continue;
      const bk = k * t;
      for (let j = 0; j < t; j++) out[oi + j] += a * B[bk + j]!;
    }
  }
  return out;
}

/** A·S·Aᵀ for A (r×m) and a symmetric S (m×m): the covariance of A·θ when Cov(θ) = S; symmetrized exactly. */
export function congruence(A: ArrayLike<number>, S: ArrayLike<number>, r: number, m: number): Float64Array {
  const AS = matMul(A, S, r, m, m);
  const out = new Float64Array(r * r);
  for (let i = 0; i < r; i++) {
    for (let j = 0; j <= i; j++) {
      let v = 0;
      for (let k = 0; k < m; k++) v += AS[i * m + k]! * A[j * m + k]!;
      out[i * r + j] = v;
      out[j * r + i] = v;
    }
  }
  return out;
}

/** The rows and columns `idx` of a square matrix G of order q. */
export function submatrix(G: ArrayLike<number>, q: number, idx: readonly number[]): Float64Array {
  const m = idx.length;
  const out = new Float64Array(m * m);
  for (let r = 0; r < m; r++) for (let c = 0; c < m; c++) out[r * m + c] = G[idx[r]! * q + idx[c]!]!;
  return out;
}

/** √ of the diagonal of a square matrix of order m. */
export function sqrtDiagonal(V: ArrayLike<number>, m: number): number[] {
  return Array.from({ length: m }, (_, c) => Math.sqrt(V[c * m + c]!));
}
