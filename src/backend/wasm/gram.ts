// AssemblyScript (compiled to WebAssembly by `npm run build`, not by tsc).
//
// Weighted Gram matrices of a model matrix ("sandwiches", glum's name): for rows i with the
// intercept appended, x̃ᵢ = (xᵢ, 1) ∈ ℝ^(p+1), and a K×K weight matrix Aᵢ per row,
//
//     G = Σᵢ x̃ᵢx̃ᵢᵀ ⊗ Aᵢ      (order q = K·p + K·icpt, in the coefficient layout of layout.ts:
//                              class k's column j at k·p + j, class k's intercept at K·p + k)
//
// which is the Hessian of the data term when Aᵢ is the curvature of row i's loss (binomial: the
// scalar sᵢσ(1 − σ); multinomial: diag(qᵢ) − qᵢqᵢᵀ/sᵢ with qᵢ = sᵢpᵢ as the passes store it), and
// the "meat" of sandwich covariances when Aᵢ = rᵢrᵢᵀ (rᵢ the row's score residuals). Rows come
// from the model matrix M (src/backend/wasm/indexed.ts): the dense block's values and one column
// per indexed block. Only the lower triangle (row ≥ column) is accumulated, into the chunk's own
// q×q area; the caller adds the chunks in order (results independent of the thread count) and
// mirrors the triangle.
//
// Modes of the row weights W (rows×K, float64, from row 0):
//   0  binary: Aᵢ = W[i] (K = 1)
//   1  multinomial curvature: Aᵢ = diag(W[i]) − W[i]W[i]ᵀ / Σₖ W[i, k]
//   2  scores: Aᵢ = W[i]W[i]ᵀ

@inline function word(M: usize, k: i32): i32 {
  return load<i32>(M + (<usize>k << 2));
}

/** float64s of the q×q accumulation area. */
export function gramPartLength(q: i32): i32 {
  return q * q;
}

/** Bytes of per-chunk scratch for a model matrix of p columns: a row's non-zeros (index, value). */
export function gramScratchBytes(p: i32): i32 {
  return (p + 1) * 12 + 64;
}

/**
 * Accumulates G over rows [r0, r1) into part (q×q, row-major, lower triangle), followed in the
 * chunk's area by the scratch for a row's non-zeros (gramScratchBytes). Returns 0.
 */
export function gramRows(r0: i32, r1: i32, part: usize, M: usize, K: i32, icpt: i32, W: usize, mode: i32): f64 {
  const X = <usize>word(M, 0);
  const d = word(M, 1);
  const p = word(M, 2);
  const nb = word(M, 3);
  const q = K * p + K * icpt;
  const qBytes = <usize>q << 3;
  memory.fill(part, 0, <usize>q * qBytes);
  const idx = part + <usize>q * qBytes; // int32: column j of the non-zero (p = the intercept)
  const val = idx + (((<usize>(p + 1) << 2) + 7) & ~7);
  for (let i = r0; i < r1; i++) {
    // The row's non-zeros in increasing column order: dense, then one per block, then the intercept.
    let nz = 0;
    const row = X + (<usize>i * <usize>d << 3);
    for (let j = 0; j < d; j++) {
      store<i32>(idx + (<usize>nz << 2), j);
      store<f64>(val + (<usize>nz << 3), load<f64>(row + (<usize>j << 3)));
      nz++;
    }
    for (let blk = 0; blk < nb; blk++) {
      const c = load<i32>(<usize>word(M, 4 + 4 * blk) + (<usize>i << 2));
      if (c < 0) continue;
      const values = <usize>word(M, 5 + 4 * blk);
      store<i32>(idx + (<usize>nz << 2), word(M, 7 + 4 * blk) + c);
      store<f64>(val + (<usize>nz << 3), values == 0 ? 1.0 : load<f64>(values + (<usize>i << 3)));
      nz++;
    }
    if (icpt != 0) {
      store<i32>(idx + (<usize>nz << 2), p);
      store<f64>(val + (<usize>nz << 3), 1.0);
      nz++;
    }
    const w = W + (<usize>(i * K) << 3);
    if (K == 1) {
      const a = mode == 2 ? load<f64>(w) * load<f64>(w) : load<f64>(w);
      if (a == 0) continue;
      binaryRow(part, qBytes, idx, val, nz, d, a);
      continue;
    }
    let s = 0.0;
    if (mode == 1) for (let k = 0; k < K; k++) s += load<f64>(w + (<usize>k << 3));
    for (let k = 0; k < K; k++) {
      const wk = load<f64>(w + (<usize>k << 3));
      for (let l = 0; l <= k; l++) {
        const wl = load<f64>(w + (<usize>l << 3));
        let a: f64;
        if (mode == 2) a = wk * wl;
        else a = (k == l ? wk : 0) - (s > 0 ? (wk * wl) / s : 0);
        if (a == 0) continue;
        classPair(part, qBytes, idx, val, nz, p, K, k, l, a);
      }
    }
  }
  return 0;
}

/**
 * Binary: G[ja][jb] += a·va·vb for every pair of non-zeros with jb ≤ ja. The dense part (the first
 * d non-zeros, columns 0 … d−1) is one axpy per column: G[j][0..j] += (a·x_j)·x[0..j], two lanes
 * at a time.
 */
@inline function binaryRow(G: usize, qBytes: usize, idx: usize, val: usize, nz: i32, d: i32, a: f64): void {
  for (let ta = 0; ta < nz; ta++) {
    const ja = load<i32>(idx + (<usize>ta << 2));
    const s = a * load<f64>(val + (<usize>ta << 3));
    if (s == 0) continue;
    const g = G + <usize>ja * qBytes;
    // Dense partners 0 … min(ja, d − 1): contiguous columns.
    const dense = ta < d ? ta + 1 : d;
    const sv = f64x2.splat(s);
    let tb = 0;
    for (; tb + 2 <= dense; tb += 2) {
      const o = <usize>tb << 3;
      v128.store(g + o, f64x2.add(v128.load(g + o), f64x2.mul(sv, v128.load(val + o))));
    }
    for (; tb < dense; tb++) {
      const o = <usize>tb << 3;
      store<f64>(g + o, load<f64>(g + o) + s * load<f64>(val + o));
    }
    // Sparse partners (block columns, intercept) up to ta.
    for (tb = max(dense, d); tb <= ta; tb++) {
      const jb = load<i32>(idx + (<usize>tb << 2));
      const o = g + (<usize>jb << 3);
      store<f64>(o, load<f64>(o) + s * load<f64>(val + (<usize>tb << 3)));
    }
  }
}

/** Flat coefficient index of class k's column j (j = p: its intercept). */
@inline function flat(k: i32, j: i32, p: i32, K: i32): i32 {
  return j < p ? k * p + j : K * p + k;
}

/** Softmax: the (k, l) block, l ≤ k: G[(k, ja)][(l, jb)] += a·va·vb where that entry is in the lower triangle. */
@inline function classPair(G: usize, qBytes: usize, idx: usize, val: usize, nz: i32, p: i32, K: i32, k: i32, l: i32, a: f64): void {
  for (let ta = 0; ta < nz; ta++) {
    const ja = load<i32>(idx + (<usize>ta << 2));
    const s = a * load<f64>(val + (<usize>ta << 3));
    if (s == 0) continue;
    const fa = flat(k, ja, p, K);
    const g = G + <usize>fa * qBytes;
    for (let tb = 0; tb < nz; tb++) {
      const fb = flat(l, load<i32>(idx + (<usize>tb << 2)), p, K);
      if (fb > fa) continue;
      // The diagonal block (k = l) holds each unordered pair once; fb < fa already counts (b, a)'s mirror.
      if (k == l && fb == fa && tb != ta) continue;
      const o = g + (<usize>fb << 3);
      store<f64>(o, load<f64>(o) + s * load<f64>(val + (<usize>tb << 3)));
    }
    if (k != l) {
      // Pairs whose (l, jb) index lies above (k, ja): their mirror (l, jb), (k, ja) belongs to the
      // lower triangle as G[(l, jb)][(k, ja)], counted here with the same weight a_kl = a_lk.
      for (let tb = 0; tb < nz; tb++) {
        const fb = flat(l, load<i32>(idx + (<usize>tb << 2)), p, K);
        if (fb <= fa) continue;
        const o = G + <usize>fb * qBytes + (<usize>fa << 3);
        store<f64>(o, load<f64>(o) + s * load<f64>(val + (<usize>tb << 3)));
      }
    }
  }
}
