// AssemblyScript (compiled to WebAssembly by `npm run build`, not by tsc).
//
// Dense symmetric positive-definite algebra for matrices of a few thousand rows at most (Hessians
// and covariance matrices of the coefficients): the Cholesky factorization A = LLᵀ, solves with
// it, and the inverse (LLᵀ)⁻¹. Matrices are n×n, row-major float64 at byte offsets; the inner loops
// are dot products of contiguous row segments, two lanes at a time.

/** Σ_{t<len} a[t]·b[t] over contiguous float64s. */
@inline function dot(a: usize, b: usize, len: i32): f64 {
  let s0 = f64x2.splat(0);
  let s1 = f64x2.splat(0);
  let t = 0;
  for (; t + 4 <= len; t += 4) {
    const o = <usize>t << 3;
    s0 = f64x2.add(s0, f64x2.mul(v128.load(a + o), v128.load(b + o)));
    s1 = f64x2.add(s1, f64x2.mul(v128.load(a + o, 16), v128.load(b + o, 16)));
  }
  const s = f64x2.add(s0, s1);
  let r = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  for (; t < len; t++) r += load<f64>(a + (<usize>t << 3)) * load<f64>(b + (<usize>t << 3));
  return r;
}

/**
 * Overwrites the lower triangle of A (n×n, row-major; the upper triangle is not read) with L,
 * A = LLᵀ (Cholesky–Banachiewicz, row by row), and zeroes the upper triangle. Returns −1, or the
 * first index j whose pivot Aⱼⱼ − Σ L²ⱼₖ is not above tol·A₍ⱼⱼ₎ (the matrix is not positive definite,
 * or column j depends on the columns before it to that relative precision).
 */
export function cholesky(A: usize, n: i32, tol: f64): i32 {
  const rowBytes = <usize>n << 3;
  for (let i = 0; i < n; i++) {
    const ri = A + <usize>i * rowBytes;
    for (let j = 0; j <= i; j++) {
      const rj = A + <usize>j * rowBytes;
      const s = load<f64>(ri + (<usize>j << 3)) - dot(ri, rj, j);
      if (i == j) {
        const original = load<f64>(ri + (<usize>j << 3));
        if (!(s > tol * Math.abs(original)) || !(s > 0)) return i;
        store<f64>(ri + (<usize>j << 3), Math.sqrt(s));
      } else {
        store<f64>(ri + (<usize>j << 3), s / load<f64>(rj + (<usize>j << 3)));
      }
    }
    for (let j = i + 1; j < n; j++) store<f64>(ri + (<usize>j << 3), 0);
  }
  return -1;
}

/**
 * Solves LLᵀx = b in place for one right-hand side b (n float64s), L from `cholesky`: forward
 * substitution Ly = b, then back substitution Lᵀx = y.
 */
export function choleskySolve(L: usize, n: i32, b: usize): void {
  const rowBytes = <usize>n << 3;
  for (let i = 0; i < n; i++) {
    const ri = L + <usize>i * rowBytes;
    store<f64>(b + (<usize>i << 3), (load<f64>(b + (<usize>i << 3)) - dot(ri, b, i)) / load<f64>(ri + (<usize>i << 3)));
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = load<f64>(b + (<usize>i << 3));
    for (let k = i + 1; k < n; k++) s -= load<f64>(L + <usize>k * rowBytes + (<usize>i << 3)) * load<f64>(b + (<usize>k << 3));
    store<f64>(b + (<usize>i << 3), s / load<f64>(L + <usize>i * rowBytes + (<usize>i << 3)));
  }
}

/**
 * out (n×n) = (LLᵀ)⁻¹ = L⁻ᵀL⁻¹, L from `cholesky`; `work` is n×n scratch. L⁻¹ is lower
 * triangular and computed row by row; then out[i][j] = Σ_{k ≥ max(i, j)} M[k][i]·M[k][j] with
 * M = L⁻¹, taken from the transposed rows so that the sums run over contiguous memory.
 */
export function choleskyInverse(L: usize, n: i32, out: usize, work: usize): void {
  const rowBytes = <usize>n << 3;
  // work ← (L⁻¹)ᵀ: column i of L⁻¹ as row i (entries k ≥ i), by solving L·m = eᵢ for each i.
  memory.fill(work, 0, <usize>n * rowBytes);
  for (let i = 0; i < n; i++) {
    const m = work + <usize>i * rowBytes;
    for (let k = i; k < n; k++) {
      const rk = L + <usize>k * rowBytes;
      let s = k == i ? 1.0 : 0.0;
      // Σ_{t=i}^{k−1} L[k][t]·m[t]
      s -= dot(rk + (<usize>i << 3), m + (<usize>i << 3), k - i);
      store<f64>(m + (<usize>k << 3), s / load<f64>(rk + (<usize>k << 3)));
    }
  }
  for (let i = 0; i < n; i++) {
    const mi = work + <usize>i * rowBytes;
    for (let j = 0; j <= i; j++) {
      const mj = work + <usize>j * rowBytes;
      // Σ_{k ≥ i} M[k][i]·M[k][j] = Σ_{k ≥ i} work[i][k]·work[j][k]
      const v = dot(mi + (<usize>i << 3), mj + (<usize>i << 3), n - i);
      store<f64>(out + <usize>i * rowBytes + (<usize>j << 3), v);
      store<f64>(out + <usize>j * rowBytes + (<usize>i << 3), v);
    }
  }
}
