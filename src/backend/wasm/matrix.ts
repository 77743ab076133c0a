// AssemblyScript (compiled to WebAssembly by `npm run build`, not by tsc).
//
// The matrix micro-kernels of every fit: the two products of a sweep over a block of rows of X,
//
//     forward   Z = X_B·Wᵀ + 1·bᵀ          (rows × K logits)
//     backward  G += R_Bᵀ·X_B,  gb += 1ᵀR_B (K × d, and K)
//
// on raw row-major float64 storage in linear memory (pointers are byte offsets): X is n×d with
// X[i, j] at X + 8·(i·d + j); W is K×p with p ≥ d (class k's coefficients contiguous, the layout of
// src/loss/layout.ts; the dense columns are the first d of each class's p, and the row stride `ws`
// is p); Z and R are rows×K, row-major. Nothing here knows what a loss is.
//
// Speed comes from 128-bit SIMD (two float64 lanes) and register tiles: the forward tile holds
// 2 rows × 4 classes of accumulators, so each vector of X and of W that is loaded feeds several
// multiply-adds (one logit: a dot product per row); the backward tile holds 2 classes × 8 features
// (one class: 12 features) and streams the rows of the block, which the forward pass has just
// brought into cache. Tiles keep what is live within x86-64's 16 vector registers: one more and
// V8 spills to the stack. Sums are split over lanes and tiles in a fixed order, so results are
// deterministic, but they differ from a left-to-right loop in the last bits. Also here: the scan
// for values that are not finite (input checks).

@inline function hsum(a: v128): f64 {
  return f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
}

@inline function ld(p: usize, j: i32): f64 {
  return load<f64>(p + (<usize>j << 3));
}

/**
 * Z[(i − r0)·K + k] = X_i·W_k + b_k for rows i ∈ [r0, r1), where W_k (class k's coefficients of
 * the dense columns) starts at W + 8·k·ws. b points to K intercepts (zeros for none).
 */
export function forwardRows(X: usize, d: i32, ws: i32, r0: i32, r1: i32, W: usize, b: usize, K: i32, Z: usize): void {
  const rowBytes = <usize>d << 3;
  const wBytes = <usize>ws << 3;
  const pairs = d & ~1;
  const odd = (d & 1) != 0;
  if (K == 1) {
    forwardBinary(X, d, r0, r1, W, load<f64>(b), Z);
    return;
  }
  let i = r0;
  for (; i + 2 <= r1; i += 2) {
    const p0 = X + <usize>i * rowBytes;
    const p1 = p0 + rowBytes;
    const z0 = Z + (<usize>((i - r0) * K) << 3);
    const z1 = z0 + (<usize>K << 3);
    let k = 0;
    for (; k + 4 <= K; k += 4) {
      const q0 = W + <usize>k * wBytes;
      const q1 = q0 + wBytes;
      const q2 = q1 + wBytes;
      const q3 = q2 + wBytes;
      let a00 = f64x2.splat(0), a01 = f64x2.splat(0), a02 = f64x2.splat(0), a03 = f64x2.splat(0);
      let a10 = f64x2.splat(0), a11 = f64x2.splat(0), a12 = f64x2.splat(0), a13 = f64x2.splat(0);
      for (let j = 0; j < pairs; j += 2) {
        const o = <usize>j << 3;
        const x0 = v128.load(p0 + o);
        const x1 = v128.load(p1 + o);
        let w = v128.load(q0 + o);
        a00 = f64x2.add(a00, f64x2.mul(x0, w));
        a10 = f64x2.add(a10, f64x2.mul(x1, w));
        w = v128.load(q1 + o);
        a01 = f64x2.add(a01, f64x2.mul(x0, w));
        a11 = f64x2.add(a11, f64x2.mul(x1, w));
        w = v128.load(q2 + o);
        a02 = f64x2.add(a02, f64x2.mul(x0, w));
        a12 = f64x2.add(a12, f64x2.mul(x1, w));
        w = v128.load(q3 + o);
        a03 = f64x2.add(a03, f64x2.mul(x0, w));
        a13 = f64x2.add(a13, f64x2.mul(x1, w));
      }
      let s00 = hsum(a00), s01 = hsum(a01), s02 = hsum(a02), s03 = hsum(a03);
      let s10 = hsum(a10), s11 = hsum(a11), s12 = hsum(a12), s13 = hsum(a13);
      if (odd) {
        const j = d - 1;
        const x0 = ld(p0, j), x1 = ld(p1, j);
        const w0 = ld(q0, j), w1 = ld(q1, j), w2 = ld(q2, j), w3 = ld(q3, j);
        s00 += x0 * w0; s01 += x0 * w1; s02 += x0 * w2; s03 += x0 * w3;
        s10 += x1 * w0; s11 += x1 * w1; s12 += x1 * w2; s13 += x1 * w3;
      }
      const bk = b + (<usize>k << 3);
      const zk0 = z0 + (<usize>k << 3);
      const zk1 = z1 + (<usize>k << 3);
      store<f64>(zk0, s00 + load<f64>(bk));
      store<f64>(zk0, s01 + load<f64>(bk, 8), 8);
      store<f64>(zk0, s02 + load<f64>(bk, 16), 16);
      store<f64>(zk0, s03 + load<f64>(bk, 24), 24);
      store<f64>(zk1, s10 + load<f64>(bk));
      store<f64>(zk1, s11 + load<f64>(bk, 8), 8);
      store<f64>(zk1, s12 + load<f64>(bk, 16), 16);
      store<f64>(zk1, s13 + load<f64>(bk, 24), 24);
    }
    for (; k < K; k++) {
      const q = W + <usize>k * wBytes;
      let a0 = f64x2.splat(0), a1 = f64x2.splat(0);
      for (let j = 0; j < pairs; j += 2) {
        const o = <usize>j << 3;
        const w = v128.load(q + o);
        a0 = f64x2.add(a0, f64x2.mul(v128.load(p0 + o), w));
        a1 = f64x2.add(a1, f64x2.mul(v128.load(p1 + o), w));
      }
      let s0 = hsum(a0), s1 = hsum(a1);
      if (odd) {
        const w = ld(q, d - 1);
        s0 += ld(p0, d - 1) * w;
        s1 += ld(p1, d - 1) * w;
      }
      const bk = load<f64>(b + (<usize>k << 3));
      store<f64>(z0 + (<usize>k << 3), s0 + bk);
      store<f64>(z1 + (<usize>k << 3), s1 + bk);
    }
  }
  if (i < r1) {
    const p = X + <usize>i * rowBytes;
    const z = Z + (<usize>((i - r0) * K) << 3);
    for (let k = 0; k < K; k++) {
      store<f64>(z + (<usize>k << 3), dot(p, W + <usize>k * wBytes, d) + load<f64>(b + (<usize>k << 3)));
    }
  }
}

/**
 * One logit per row (K = 1): a dot product per row, rows in order. (Tiles of several rows, which
 * would reuse each vector of w, read X in an interleaved order that the hardware prefetcher
 * follows badly: measured 3× slower once X no longer fits in cache.)
 */
function forwardBinary(X: usize, d: i32, r0: i32, r1: i32, w: usize, b: f64, Z: usize): void {
  const rowBytes = <usize>d << 3;
  for (let i = r0; i < r1; i++) store<f64>(Z + (<usize>(i - r0) << 3), dot(X + <usize>i * rowBytes, w, d) + b);
}

/** Σⱼ p[j]·q[j], j < d: four independent vector accumulators, eight values per step. */
@inline function dot(p: usize, q: usize, d: i32): f64 {
  let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
  let j = 0;
  for (; j + 8 <= d; j += 8) {
    const o = <usize>j << 3;
    a0 = f64x2.add(a0, f64x2.mul(v128.load(p + o), v128.load(q + o)));
    a1 = f64x2.add(a1, f64x2.mul(v128.load(p + o, 16), v128.load(q + o, 16)));
    a2 = f64x2.add(a2, f64x2.mul(v128.load(p + o, 32), v128.load(q + o, 32)));
    a3 = f64x2.add(a3, f64x2.mul(v128.load(p + o, 48), v128.load(q + o, 48)));
  }
  for (; j + 2 <= d; j += 2) {
    const o = <usize>j << 3;
    a0 = f64x2.add(a0, f64x2.mul(v128.load(p + o), v128.load(q + o)));
  }
  let s = hsum(f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3)));
  if (j < d) s += ld(p, j) * ld(q, j);
  return s;
}

/**
 * G_k += Σᵢ R[(i − r0)·K + k]·X_i (G_k: d values at G + 8·k·ws) and gb (K) += Σᵢ R[(i − r0)·K + k]
 * over rows i ∈ [r0, r1). Tiles of 2 classes × 8 features (or 1 class × 12 when K = 1) accumulate
 * over every row of the block before G is touched, so G is read and written once per tile and block.
 */
export function backwardRows(X: usize, d: i32, ws: i32, r0: i32, r1: i32, R: usize, K: i32, G: usize, gb: usize): void {
  const rowBytes = <usize>d << 3;
  const wBytes = <usize>ws << 3;
  const Kb = <usize>K << 3;
  const rows = r1 - r0;
  const base = X + <usize>r0 * rowBytes;
  // Intercept gradient: column sums of R.
  for (let k = 0; k < K; k++) {
    let s = 0.0;
    let r = R + (<usize>k << 3);
    for (let t = 0; t < rows; t++) {
      s += load<f64>(r);
      r += Kb;
    }
    store<f64>(gb + (<usize>k << 3), load<f64>(gb + (<usize>k << 3)) + s);
  }
  if (K == 1) {
    backwardOneClass(base, d, rows, R, 8, G);
    return;
  }
  let k = 0;
  for (; k + 2 <= K; k += 2) {
    const g0 = G + <usize>k * wBytes;
    const g1 = g0 + wBytes;
    const rk = R + (<usize>k << 3);
    let j = 0;
    for (; j + 8 <= d; j += 8) {
      const o = <usize>j << 3;
      let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
      let c0 = f64x2.splat(0), c1 = f64x2.splat(0), c2 = f64x2.splat(0), c3 = f64x2.splat(0);
      let p = base + o;
      let r = rk;
      for (let t = 0; t < rows; t++) {
        const x0 = v128.load(p);
        const x1 = v128.load(p, 16);
        const x2 = v128.load(p, 32);
        const x3 = v128.load(p, 48);
        const u = f64x2.splat(load<f64>(r));
        const v = f64x2.splat(load<f64>(r, 8));
        a0 = f64x2.add(a0, f64x2.mul(u, x0));
        a1 = f64x2.add(a1, f64x2.mul(u, x1));
        a2 = f64x2.add(a2, f64x2.mul(u, x2));
        a3 = f64x2.add(a3, f64x2.mul(u, x3));
        c0 = f64x2.add(c0, f64x2.mul(v, x0));
        c1 = f64x2.add(c1, f64x2.mul(v, x1));
        c2 = f64x2.add(c2, f64x2.mul(v, x2));
        c3 = f64x2.add(c3, f64x2.mul(v, x3));
        p += rowBytes;
        r += Kb;
      }
      addTo(g0 + o, a0, a1, a2, a3);
      addTo(g1 + o, c0, c1, c2, c3);
    }
    for (; j + 2 <= d; j += 2) {
      const o = <usize>j << 3;
      let a = f64x2.splat(0), c = f64x2.splat(0);
      let p = base + o;
      let r = rk;
      for (let t = 0; t < rows; t++) {
        const x = v128.load(p);
        a = f64x2.add(a, f64x2.mul(f64x2.splat(load<f64>(r)), x));
        c = f64x2.add(c, f64x2.mul(f64x2.splat(load<f64>(r, 8)), x));
        p += rowBytes;
        r += Kb;
      }
      v128.store(g0 + o, f64x2.add(v128.load(g0 + o), a));
      v128.store(g1 + o, f64x2.add(v128.load(g1 + o), c));
    }
    if (j < d) {
      let a = 0.0, c = 0.0;
      let p = base + (<usize>j << 3);
      let r = rk;
      for (let t = 0; t < rows; t++) {
        const x = load<f64>(p);
        a += load<f64>(r) * x;
        c += load<f64>(r, 8) * x;
        p += rowBytes;
        r += Kb;
      }
      store<f64>(g0 + (<usize>j << 3), load<f64>(g0 + (<usize>j << 3)) + a);
      store<f64>(g1 + (<usize>j << 3), load<f64>(g1 + (<usize>j << 3)) + c);
    }
  }
  if (k < K) backwardOneClass(base, d, rows, R + (<usize>k << 3), Kb, G + <usize>k * wBytes);
}

@inline function addTo(g: usize, a0: v128, a1: v128, a2: v128, a3: v128): void {
  v128.store(g, f64x2.add(v128.load(g), a0));
  v128.store(g, f64x2.add(v128.load(g, 16), a1), 16);
  v128.store(g, f64x2.add(v128.load(g, 32), a2), 32);
  v128.store(g, f64x2.add(v128.load(g, 48), a3), 48);
}

/**
 * g (d) += Σₜ r[t·stride]·X_t over `rows` rows from `base`, in tiles of 12 features: six vector
 * accumulators, the loaded vectors and the broadcast residual stay within the 16 vector registers
 * of x86-64 (a 16-feature tile made V8 spill an accumulator to the stack on every row: 4× slower).
 */
function backwardOneClass(base: usize, d: i32, rows: i32, r0: usize, stride: usize, g: usize): void {
  const rowBytes = <usize>d << 3;
  let j = 0;
  for (; j + 12 <= d; j += 12) {
    const o = <usize>j << 3;
    let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0);
    let a3 = f64x2.splat(0), a4 = f64x2.splat(0), a5 = f64x2.splat(0);
    let p = base + o;
    let r = r0;
    for (let t = 0; t < rows; t++) {
      const u = v128.load64_splat(r);
      a0 = f64x2.add(a0, f64x2.mul(u, v128.load(p)));
      a1 = f64x2.add(a1, f64x2.mul(u, v128.load(p, 16)));
      a2 = f64x2.add(a2, f64x2.mul(u, v128.load(p, 32)));
      a3 = f64x2.add(a3, f64x2.mul(u, v128.load(p, 48)));
      a4 = f64x2.add(a4, f64x2.mul(u, v128.load(p, 64)));
      a5 = f64x2.add(a5, f64x2.mul(u, v128.load(p, 80)));
      p += rowBytes;
      r += stride;
    }
    addPair(g + o, a0, a1);
    addPair(g + o + 32, a2, a3);
    addPair(g + o + 64, a4, a5);
  }
  // Pairs of features: two accumulators over alternate rows, for two independent chains of adds.
  for (; j + 2 <= d; j += 2) {
    const o = <usize>j << 3;
    let a = f64x2.splat(0), b = f64x2.splat(0);
    let p = base + o;
    let r = r0;
    let t = 0;
    for (; t + 2 <= rows; t += 2) {
      a = f64x2.add(a, f64x2.mul(v128.load64_splat(r), v128.load(p)));
      b = f64x2.add(b, f64x2.mul(v128.load64_splat(r + stride), v128.load(p + rowBytes)));
      p += rowBytes << 1;
      r += stride << 1;
    }
    if (t < rows) a = f64x2.add(a, f64x2.mul(v128.load64_splat(r), v128.load(p)));
    v128.store(g + o, f64x2.add(v128.load(g + o), f64x2.add(a, b)));
  }
  if (j < d) {
    let a = 0.0;
    let p = base + (<usize>j << 3);
    let r = r0;
    for (let t = 0; t < rows; t++) {
      a += load<f64>(r) * load<f64>(p);
      p += rowBytes;
      r += stride;
    }
    store<f64>(g + (<usize>j << 3), load<f64>(g + (<usize>j << 3)) + a);
  }
}

@inline function addPair(g: usize, a0: v128, a1: v128): void {
  v128.store(g, f64x2.add(v128.load(g), a0));
  v128.store(g, f64x2.add(v128.load(g, 16), a1), 16);
}

/**
 * out_k += Σᵢ A[(i − r0)·K + k]·X[i, j]² over rows i ∈ [r0, r1) (out_k at out + 8·k·ws): the
 * diagonals of the weighted Gram matrices Xᵀ·diag(A_k)·X (a Newton preconditioner; one pass, not a
 * hot loop).
 */
export function weightedSquaresRows(X: usize, d: i32, ws: i32, r0: i32, r1: i32, A: usize, K: i32, out: usize): void {
  const rowBytes = <usize>d << 3;
  const wBytes = <usize>ws << 3;
  for (let i = r0; i < r1; i++) {
    const p = X + <usize>i * rowBytes;
    const a = A + (<usize>((i - r0) * K) << 3);
    for (let k = 0; k < K; k++) {
      const ak = load<f64>(a + (<usize>k << 3));
      if (ak == 0) continue;
      const av = f64x2.splat(ak);
      const g = out + <usize>k * wBytes;
      let j = 0;
      for (; j + 2 <= d; j += 2) {
        const o = <usize>j << 3;
        const x = v128.load(p + o);
        v128.store(g + o, f64x2.add(v128.load(g + o), f64x2.mul(av, f64x2.mul(x, x))));
      }
      if (j < d) {
        const x = ld(p, j);
        store<f64>(g + (<usize>j << 3), load<f64>(g + (<usize>j << 3)) + ak * x * x);
      }
    }
  }
}

/**
 * Index of the first value of p[0..n) that is not a finite number (NaN or ±Infinity), or −1.
 * v − v is 0 for every finite v and NaN otherwise, two lanes at a time.
 */
export function firstNonFinite(p: usize, n: i32): i32 {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const a = v128.load(p + (<usize>i << 3));
    const b = v128.load(p + (<usize>i << 3), 16);
    const ta = f64x2.sub(a, a);
    const tb = f64x2.sub(b, b);
    if (v128.any_true(v128.or(f64x2.ne(ta, ta), f64x2.ne(tb, tb)))) break;
  }
  for (; i < n; i++) {
    const v = load<f64>(p + (<usize>i << 3));
    if (v - v != 0) return i;
  }
  return -1;
}

/**
 * p₀[j] ← (…((p₀[j] + p₁[j]) + p₂[j]) + …) for j < count, where chunk c's values start at
 * p₀ + c·stride bytes: the chunks' partial sums of a pass added in chunk order (the order the
 * JavaScript side adds short sums in, so results do not depend on which side added them).
 */
export function accumulateParts(p0: usize, stride: usize, chunks: i32, count: i32): void {
  for (let c = 1; c < chunks; c++) {
    const pc = p0 + <usize>c * stride;
    let j = 0;
    for (; j + 2 <= count; j += 2) {
      const o = <usize>j << 3;
      v128.store(p0 + o, f64x2.add(v128.load(p0 + o), v128.load(pc + o)));
    }
    if (j < count) store<f64>(p0 + (<usize>j << 3), load<f64>(p0 + (<usize>j << 3)) + load<f64>(pc + (<usize>j << 3)));
  }
}

/**
 * Column moments of X (n×d, row-major): mean[j] = (Σᵢ X[i, j]) / n, then
 * m2[j] = Σᵢ (X[i, j] − mean[j])², each sum taken row by row in order (the two-pass formulas, and
 * the same order as a plain loop, so the results are those of one).
 */
export function columnMoments(X: usize, n: i32, d: i32, mean: usize, m2: usize): void {
  const rowBytes = <usize>d << 3;
  for (let j = 0; j < d; j++) {
    store<f64>(mean + (<usize>j << 3), 0);
    store<f64>(m2 + (<usize>j << 3), 0);
  }
  for (let i = 0; i < n; i++) {
    const p = X + <usize>i * rowBytes;
    for (let j = 0; j < d; j++) {
      const o = <usize>j << 3;
      store<f64>(mean + o, load<f64>(mean + o) + load<f64>(p + o));
    }
  }
  for (let j = 0; j < d; j++) store<f64>(mean + (<usize>j << 3), load<f64>(mean + (<usize>j << 3)) / <f64>n);
  for (let i = 0; i < n; i++) {
    const p = X + <usize>i * rowBytes;
    for (let j = 0; j < d; j++) {
      const o = <usize>j << 3;
      const c = load<f64>(p + o) - load<f64>(mean + o);
      store<f64>(m2 + o, load<f64>(m2 + o) + c * c);
    }
  }
}

/** X[i, j] ← (X[i, j] − mean[j]) / std[j] for every row i < n and column j < d (in place). */
export function standardizeRows(X: usize, n: i32, d: i32, mean: usize, std: usize): void {
  const rowBytes = <usize>d << 3;
  for (let i = 0; i < n; i++) {
    const p = X + <usize>i * rowBytes;
    for (let j = 0; j < d; j++) {
      const o = <usize>j << 3;
      store<f64>(p + o, (load<f64>(p + o) - load<f64>(mean + o)) / load<f64>(std + o));
    }
  }
}

/**
 * out[(i − r0)·m + t] = X[i, keep[t]] for rows i ∈ [r0, r1) and t < m (keep: m int32 column
 * indices below d): some columns of a block of rows, row-major (a working set's copy).
 */
export function gatherColumns(X: usize, d: i32, r0: i32, r1: i32, keep: usize, m: i32, out: usize): void {
  const rowBytes = <usize>d << 3;
  let q = out;
  for (let i = r0; i < r1; i++) {
    const p = X + <usize>i * rowBytes;
    for (let t = 0; t < m; t++) {
      store<f64>(q, load<f64>(p + (<usize>load<i32>(keep + (<usize>t << 2)) << 3)));
      q += 8;
    }
  }
}
