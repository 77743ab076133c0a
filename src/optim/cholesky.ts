/**
 * A small dense Cholesky solve in JavaScript, for the systems an optimizer forms many times (the
 * support of an L1 model: tens to a few hundred unknowns), where a kernel call's set-up would cost
 * more than the arithmetic. A = LLᵀ (A: m×m row-major, symmetric positive definite; lower triangle
 * read), then forward and back substitution. Returns null when a pivot is not above tol times its
 * diagonal entry (A is not numerically positive definite).
 */
export function choleskySolveSmall(A: Float64Array, m: number, b: Float64Array, tol = 1e-12): Float64Array | null {
  const L = new Float64Array(m * m);
  for (let j = 0; j < m; j++) {
    let d = A[j * m + j]!;
    for (let k = 0; k < j; k++) d -= L[j * m + k]! * L[j * m + k]!;
    if (!(d > tol * Math.abs(A[j * m + j]!)) || !(d > 0)) return null;
    const ljj = Math.sqrt(d);
    L[j * m + j] = ljj;
    for (let i = j + 1; i < m; i++) {
      let s = A[i * m + j]!;
      for (let k = 0; k < j; k++) s -= L[i * m + k]! * L[j * m + k]!;
      L[i * m + j] = s / ljj;
    }
  }
  const x = Float64Array.from(b);
  for (let i = 0; i < m; i++) {
    let s = x[i]!;
    for (let k = 0; k < i; k++) s -= L[i * m + k]! * x[k]!;
    x[i] = s / L[i * m + i]!;
  }
  for (let i = m - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let k = i + 1; k < m; k++) s -= L[k * m + i]! * x[k]!;
    x[i] = s / L[i * m + i]!;
  }
  return x;
}
