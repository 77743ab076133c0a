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

/**
 * Bytes of per-chunk scratch for a model matrix of p columns: per row of a group, its non-zeros'
 * columns (int32) and values, and its dense values scaled by the row's weight (both padded to a
 * multiple of 4); then the group's weights and counts and a 4×4 tile of float64s.
 */
export function gramScratchBytes(p: i32): i32 {
  return ROW_GROUP * <i32>rowStride(p) + ROW_GROUP * 12 + 128 + 64;
}

/**
 * Rows whose dense parts the binary Gram accumulates together: G's dense block is cut into 4×4
 * tiles, each summed over the group's rows in registers and added to G once per group.
 */
const ROW_GROUP = 16;

/** Byte offset of a row's values after its column indices (p + 1 int32s, 8-aligned). */
@inline function valOffset(p: i32): usize {
  return ((<usize>(p + 1) << 2) + 7) & ~7;
}

/** Byte offset of a row's scaled dense values (after p + 4 values). */
@inline function scaledOffset(p: i32): usize {
  return valOffset(p) + (<usize>(p + 4) << 3);
}

/** Bytes of one row's scratch: indices, values, scaled dense values (16-aligned). */
@inline function rowStride(p: i32): usize {
  return (scaledOffset(p) + (<usize>(p + 4) << 3) + 15) & ~15;
}

/**
 * Accumulates G over rows [r0, r1) into part (q×q, row-major, lower triangle), followed in the
 * chunk's area by the scratch for a row's non-zeros (gramScratchBytes). Returns 0.
 *
 * `sel` (0: every column) restricts G to a subset of the model matrix's columns: an int32 per
 * column (p of them) holding its position among the selected ones, or −1. Positions must increase
 * with the column (the selected dense columns come first, as in the full matrix); `pSel` is their
 * number. G is then the Gram matrix of the selected columns (and the intercept), in the same
 * layout with pSel in place of p.
 */
export function gramRows(r0: i32, r1: i32, part: usize, M: usize, K: i32, icpt: i32, W: usize, mode: i32, sel: usize, pSel: i32): f64 {
  const X = <usize>word(M, 0);
  const d = word(M, 1);
  const p = sel == 0 ? word(M, 2) : pSel;
  const nb = word(M, 3);
  let dSel = d;
  if (sel != 0) {
    dSel = 0;
    for (let j = 0; j < d; j++) if (load<i32>(sel + (<usize>j << 2)) >= 0) dSel++;
  }
  const q = K * p + K * icpt;
  const qBytes = <usize>q << 3;
  memory.fill(part, 0, <usize>q * qBytes);
  // Per row of a group: its non-zeros' columns (int32), values and scaled dense values, in the
  // chunk's scratch (16-aligned: the part is q·q float64s from an aligned start).
  const rowBytes = rowStride(p);
  const scratch = (part + <usize>q * qBytes + 15) & ~15;
  const weights = scratch + <usize>ROW_GROUP * rowBytes;
  const counts = weights + (<usize>ROW_GROUP << 3);
  const tile = (counts + (<usize>ROW_GROUP << 2) + 15) & ~15;
  let i = r0;
  if (K == 1 && dSel > 0) {
    // Groups of ROW_GROUP rows: the dense × dense part of G by register tiles over the group
    // (denseTiles), then each row's pairs that involve a block column or the intercept.
    const dPad = (dSel + 3) & ~3;
    for (; i + ROW_GROUP <= r1; i += ROW_GROUP) {
      for (let r = 0; r < ROW_GROUP; r++) {
        const idx = scratch + <usize>r * rowBytes;
        const val = idx + valOffset(p);
        const u = idx + scaledOffset(p);
        const nz = rowNonzeros(M, i + r, X, d, nb, sel, p, icpt, idx, val);
        const w = load<f64>(W + (<usize>(i + r) << 3));
        const a = mode == 2 ? w * w : w;
        for (let j = 0; j < dSel; j++) store<f64>(u + (<usize>j << 3), a * load<f64>(val + (<usize>j << 3)));
        for (let j = dSel; j < dPad; j++) store<f64>(u + (<usize>j << 3), 0.0);
        store<f64>(weights + (<usize>r << 3), a);
        store<i32>(counts + (<usize>r << 2), nz);
      }
      denseTiles(part, qBytes, scratch, rowBytes, p, dSel, tile);
      for (let r = 0; r < ROW_GROUP; r++) {
        const a = load<f64>(weights + (<usize>r << 3));
        if (a == 0) continue;
        const idx = scratch + <usize>r * rowBytes;
        const nz = load<i32>(counts + (<usize>r << 2));
        binaryRow(part, qBytes, idx, idx + valOffset(p), nz, dSel, a, dSel);
      }
    }
  }
  const idx = scratch;
  const val = idx + valOffset(p);
  for (; i < r1; i++) {
    const nz = rowNonzeros(M, i, X, d, nb, sel, p, icpt, idx, val);
    const w = W + (<usize>(i * K) << 3);
    if (K == 1) {
      const a = mode == 2 ? load<f64>(w) * load<f64>(w) : load<f64>(w);
      if (a == 0) continue;
      binaryRow(part, qBytes, idx, val, nz, dSel, a, 0);
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
        classPair(part, qBytes, idx, val, nz, p, K, k, l, a, dSel);
      }
    }
  }
  return 0;
}

/**
 * Row i's non-zeros in increasing column order (dense, then one per block, then the intercept),
 * restricted to the selected columns and renumbered when `sel` is set: columns into idx (int32),
 * values into val. Returns their number.
 */
@inline function rowNonzeros(M: usize, i: i32, X: usize, d: i32, nb: i32, sel: usize, p: i32, icpt: i32, idx: usize, val: usize): i32 {
  let nz = 0;
  const row = X + (<usize>i * <usize>d << 3);
  if (sel == 0) {
    for (let j = 0; j < d; j++) {
      store<i32>(idx + (<usize>nz << 2), j);
      store<f64>(val + (<usize>nz << 3), load<f64>(row + (<usize>j << 3)));
      nz++;
    }
  } else {
    for (let j = 0; j < d; j++) {
      const c = load<i32>(sel + (<usize>j << 2));
      if (c < 0) continue;
      store<i32>(idx + (<usize>nz << 2), c);
      store<f64>(val + (<usize>nz << 3), load<f64>(row + (<usize>j << 3)));
      nz++;
    }
  }
  for (let blk = 0; blk < nb; blk++) {
    const c = load<i32>(<usize>word(M, 4 + 4 * blk) + (<usize>i << 2));
    if (c < 0) continue;
    let col = word(M, 7 + 4 * blk) + c;
    if (sel != 0) {
      col = load<i32>(sel + (<usize>col << 2));
      if (col < 0) continue;
    }
    const values = <usize>word(M, 5 + 4 * blk);
    store<i32>(idx + (<usize>nz << 2), col);
    store<f64>(val + (<usize>nz << 3), values == 0 ? 1.0 : load<f64>(values + (<usize>i << 3)));
    nz++;
  }
  if (icpt != 0) {
    store<i32>(idx + (<usize>nz << 2), p);
    store<f64>(val + (<usize>nz << 3), 1.0);
    nz++;
  }
  return nz;
}

/**
 * The dense × dense part of a group of ROW_GROUP binary rows: G[ja][jb] += Σ_r u_r[ja]·x_r[jb] for
 * ja, jb < dd, u_r = a_r·x_r (the rows' first dd values are the dense columns 0 … dd−1). G's lower
 * triangle is cut into 4×4 tiles; each tile's 16 sums run over the group in eight two-lane
 * registers (per row: two loads of x, four splat loads of u, eight multiply-adds), and are added
 * to G once. A diagonal tile also writes its entries above the diagonal (the caller mirrors the
 * lower triangle over them); a tile that reaches past column dd − 1 goes through `tile` and adds
 * only its entries inside the dense block.
 */
@inline function denseTiles(G: usize, qBytes: usize, scratch: usize, rowBytes: usize, p: i32, dd: i32, tile: usize): void {
  const vOff = valOffset(p);
  const uOff = scaledOffset(p);
  for (let A = 0; A < dd; A += 4) {
    for (let B = 0; B <= A; B += 4) {
      let c00 = f64x2.splat(0);
      let c01 = c00;
      let c10 = c00;
      let c11 = c00;
      let c20 = c00;
      let c21 = c00;
      let c30 = c00;
      let c31 = c00;
      let row = scratch;
      for (let r = 0; r < ROW_GROUP; r++) {
        const v = row + vOff + (<usize>B << 3);
        const u = row + uOff + (<usize>A << 3);
        const b0 = v128.load(v);
        const b1 = v128.load(v, 16);
        const s0 = v128.load64_splat(u);
        c00 = f64x2.add(c00, f64x2.mul(s0, b0));
        c01 = f64x2.add(c01, f64x2.mul(s0, b1));
        const s1 = v128.load64_splat(u, 8);
        c10 = f64x2.add(c10, f64x2.mul(s1, b0));
        c11 = f64x2.add(c11, f64x2.mul(s1, b1));
        const s2 = v128.load64_splat(u, 16);
        c20 = f64x2.add(c20, f64x2.mul(s2, b0));
        c21 = f64x2.add(c21, f64x2.mul(s2, b1));
        const s3 = v128.load64_splat(u, 24);
        c30 = f64x2.add(c30, f64x2.mul(s3, b0));
        c31 = f64x2.add(c31, f64x2.mul(s3, b1));
        row += rowBytes;
      }
      const g = G + <usize>A * qBytes + (<usize>B << 3);
      if (A + 4 <= dd) {
        addTo(g, c00, c01);
        addTo(g + qBytes, c10, c11);
        addTo(g + 2 * qBytes, c20, c21);
        addTo(g + 3 * qBytes, c30, c31);
      } else {
        v128.store(tile, c00);
        v128.store(tile, c01, 16);
        v128.store(tile, c10, 32);
        v128.store(tile, c11, 48);
        v128.store(tile, c20, 64);
        v128.store(tile, c21, 80);
        v128.store(tile, c30, 96);
        v128.store(tile, c31, 112);
        for (let ja = 0; ja < 4 && A + ja < dd; ja++) {
          for (let jb = 0; jb < 4 && B + jb < dd; jb++) {
            const o = g + <usize>ja * qBytes + (<usize>jb << 3);
            store<f64>(o, load<f64>(o) + load<f64>(tile + (<usize>(ja * 4 + jb) << 3)));
          }
        }
      }
    }
  }
}

/** G[0..4) += (lo, hi): four float64s of a row of G. */
@inline function addTo(g: usize, lo: v128, hi: v128): void {
  v128.store(g, f64x2.add(v128.load(g), lo));
  v128.store(g, f64x2.add(v128.load(g, 16), hi), 16);
}

/**
 * Binary: G[ja][jb] += a·va·vb for every pair of non-zeros with jb ≤ ja. The dense part (the first
 * d non-zeros, columns 0 … d−1) is one axpy per column: G[j][0..j] += (a·x_j)·x[0..j], two lanes
 * at a time.
 */
@inline function binaryRow(G: usize, qBytes: usize, idx: usize, val: usize, nz: i32, d: i32, a: f64, from: i32): void {
  for (let ta = from; ta < nz; ta++) {
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

/**
 * Softmax: the (k, l) block, l ≤ k: G[(k, ja)][(l, jb)] += a·va·vb where that entry is in the lower
 * triangle. The row's first dd non-zeros are the dense columns 0 … dd−1, so a non-zero's dense
 * partners are one contiguous run of G's row (all dd of them when k > l; up to its own column when
 * k = l), added two lanes at a time; the block columns and intercepts pair one by one.
 */
@inline function classPair(G: usize, qBytes: usize, idx: usize, val: usize, nz: i32, p: i32, K: i32, k: i32, l: i32, a: f64, dd: i32): void {
  for (let ta = 0; ta < nz; ta++) {
    const ja = load<i32>(idx + (<usize>ta << 2));
    const s = a * load<f64>(val + (<usize>ta << 3));
    if (s == 0) continue;
    const fa = flat(k, ja, p, K);
    const g = G + <usize>fa * qBytes;
    // Dense partners (l, 0 … limit − 1): below (k, ja) in the layout, contiguous.
    const limit = k > l ? dd : ta < dd ? ta + 1 : dd;
    const row = g + (<usize>(l * p) << 3);
    const sv = f64x2.splat(s);
    let tb = 0;
    for (; tb + 2 <= limit; tb += 2) {
      const o = <usize>tb << 3;
      v128.store(row + o, f64x2.add(v128.load(row + o), f64x2.mul(sv, v128.load(val + o))));
    }
    for (; tb < limit; tb++) {
      const o = <usize>tb << 3;
      store<f64>(row + o, load<f64>(row + o) + s * load<f64>(val + o));
    }
    // Block columns and the intercept: pairs in the lower triangle, and for k ≠ l the mirrors of
    // pairs whose (l, jb) lies above (k, ja) (G[(l, jb)][(k, ja)], the same weight a_kl = a_lk).
    for (tb = dd; tb < nz; tb++) {
      const fb = flat(l, load<i32>(idx + (<usize>tb << 2)), p, K);
      const v = s * load<f64>(val + (<usize>tb << 3));
      if (fb > fa) {
        if (k != l) {
          const o = G + <usize>fb * qBytes + (<usize>fa << 3);
          store<f64>(o, load<f64>(o) + v);
        }
        continue;
      }
      // The diagonal block (k = l) holds each unordered pair once.
      if (k == l && fb == fa && tb != ta) continue;
      const o = g + (<usize>fb << 3);
      store<f64>(o, load<f64>(o) + v);
    }
  }
}
