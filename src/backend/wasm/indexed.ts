// AssemblyScript (compiled to WebAssembly by `npm run build`, not by tsc).
//
// The model matrix of a fit, as the passes over its rows see it: a dense block (n×d, row-major,
// the numeric columns) followed by indexed blocks, in the manner of glum's tabmat. An indexed
// block of width w stands for w columns of which each row has at most one non-zero: column
// codes[i] with value values[i] (or 1), or none when codes[i] < 0. A categorical column in
// treatment coding is one (its reference level and missing rows have code −1); so is an
// interaction of categorical columns (the code of the level combination) and a categorical column
// times a numeric one (the numeric column is the value). A 300-level column is then one int32 a
// row instead of 300 float64s: the forward product gathers one coefficient per row and block, the
// backward product scatters one residual.
//
// The matrix is described to the kernels by a table of int32 words at M:
//     M[0] X (the dense block's offset)   M[1] d (its columns)   M[2] p (all columns)   M[3] nb (blocks)
//     then per block: codes (int32 per row), values (float64 per row, or 0 for ones), width, offset
// where a block's columns are p-columns offset … offset + width − 1 (after the d dense ones).
// Coefficients are K×p, row-major (layout.ts); Z, R, A are rows×K, row-major from row r0.

import { backwardRows, forwardRows, weightedSquaresRows } from './matrix';

@inline function word(M: usize, k: i32): i32 {
  return load<i32>(M + (<usize>k << 2));
}

/** Z (rows×K) += the indexed blocks' contributions X_B·Wᵀ for rows [r0, r1). */
function forwardIndexed(M: usize, r0: i32, r1: i32, W: usize, K: i32, Z: usize): void {
  const p = word(M, 2);
  const nb = word(M, 3);
  const wBytes = <usize>p << 3;
  for (let blk = 0; blk < nb; blk++) {
    const codes = <usize>word(M, 4 + 4 * blk);
    const values = <usize>word(M, 5 + 4 * blk);
    const w0 = W + (<usize>word(M, 7 + 4 * blk) << 3);
    if (K == 1) {
      for (let i = r0; i < r1; i++) {
        const c = load<i32>(codes + (<usize>i << 2));
        if (c < 0) continue;
        const v = values == 0 ? 1.0 : load<f64>(values + (<usize>i << 3));
        const z = Z + (<usize>(i - r0) << 3);
        store<f64>(z, load<f64>(z) + v * load<f64>(w0 + (<usize>c << 3)));
      }
      continue;
    }
    for (let i = r0; i < r1; i++) {
      const c = load<i32>(codes + (<usize>i << 2));
      if (c < 0) continue;
      const v = values == 0 ? 1.0 : load<f64>(values + (<usize>i << 3));
      const z = Z + (<usize>((i - r0) * K) << 3);
      let w = w0 + (<usize>c << 3);
      for (let k = 0; k < K; k++) {
        const zk = z + (<usize>k << 3);
        store<f64>(zk, load<f64>(zk) + v * load<f64>(w));
        w += wBytes;
      }
    }
  }
}

/** G (K×p) += the indexed blocks' part of Rᵀ·X_B for rows [r0, r1). */
function backwardIndexed(M: usize, r0: i32, r1: i32, R: usize, K: i32, G: usize): void {
  const p = word(M, 2);
  const nb = word(M, 3);
  const wBytes = <usize>p << 3;
  for (let blk = 0; blk < nb; blk++) {
    const codes = <usize>word(M, 4 + 4 * blk);
    const values = <usize>word(M, 5 + 4 * blk);
    const g0 = G + (<usize>word(M, 7 + 4 * blk) << 3);
    for (let i = r0; i < r1; i++) {
      const c = load<i32>(codes + (<usize>i << 2));
      if (c < 0) continue;
      const v = values == 0 ? 1.0 : load<f64>(values + (<usize>i << 3));
      const r = R + (<usize>((i - r0) * K) << 3);
      let g = g0 + (<usize>c << 3);
      for (let k = 0; k < K; k++) {
        store<f64>(g, load<f64>(g) + v * load<f64>(r + (<usize>k << 3)));
        g += wBytes;
      }
    }
  }
}

/** out (K×p) += Σᵢ A[(i − r0)·K + k]·X[i, j]² over the indexed blocks' columns, rows [r0, r1). */
function squaresIndexed(M: usize, r0: i32, r1: i32, A: usize, K: i32, out: usize): void {
  const p = word(M, 2);
  const nb = word(M, 3);
  const wBytes = <usize>p << 3;
  for (let blk = 0; blk < nb; blk++) {
    const codes = <usize>word(M, 4 + 4 * blk);
    const values = <usize>word(M, 5 + 4 * blk);
    const g0 = out + (<usize>word(M, 7 + 4 * blk) << 3);
    for (let i = r0; i < r1; i++) {
      const c = load<i32>(codes + (<usize>i << 2));
      if (c < 0) continue;
      const v = values == 0 ? 1.0 : load<f64>(values + (<usize>i << 3));
      const a = A + (<usize>((i - r0) * K) << 3);
      let g = g0 + (<usize>c << 3);
      for (let k = 0; k < K; k++) {
        store<f64>(g, load<f64>(g) + v * v * load<f64>(a + (<usize>k << 3)));
        g += wBytes;
      }
    }
  }
}

/** Z (rows×K, from row r0) = X_i·W_kᵀ + b_k over every block of the model matrix M, rows [r0, r1). */
export function forwardMatrix(M: usize, r0: i32, r1: i32, W: usize, b: usize, K: i32, Z: usize): void {
  forwardRows(<usize>word(M, 0), word(M, 1), word(M, 2), r0, r1, W, b, K, Z);
  if (word(M, 3) > 0) forwardIndexed(M, r0, r1, W, K, Z);
}

/** G (K×p) += Rᵀ·X and gb (K) += 1ᵀR over every block of M, rows [r0, r1). */
export function backwardMatrix(M: usize, r0: i32, r1: i32, R: usize, K: i32, G: usize, gb: usize): void {
  backwardRows(<usize>word(M, 0), word(M, 1), word(M, 2), r0, r1, R, K, G, gb);
  if (word(M, 3) > 0) backwardIndexed(M, r0, r1, R, K, G);
}

/** out (K×p) += Σᵢ A[(i − r0)·K + k]·X[i, j]² over every block of M, rows [r0, r1). */
export function squaresMatrix(M: usize, r0: i32, r1: i32, A: usize, K: i32, out: usize): void {
  weightedSquaresRows(<usize>word(M, 0), word(M, 1), word(M, 2), r0, r1, A, K, out);
  if (word(M, 3) > 0) squaresIndexed(M, r0, r1, A, K, out);
}

/** The number of columns p of the model matrix M (all blocks). */
export function matrixColumns(M: usize): i32 {
  return word(M, 2);
}

/**
 * dst[r] ← (add ? dst[r] : 0) + lut[src[r] + 1] for r < n, and when `last`, −1 wherever the sum
 * is negative (int32 arrays): the codes of an indexed block, built from its factors' level codes
 * (−1 missing) and per-factor tables of their contributions (a large negative value for "no
 * column", which keeps the sum negative until the last factor is added).
 */
export function addLookups(dst: usize, src: usize, n: i32, lut: usize, add: i32, last: i32): void {
  for (let r = 0; r < n; r++) {
    const o = <usize>r << 2;
    const v = load<i32>(lut + (<usize>(load<i32>(src + o) + 1) << 2)) + (add != 0 ? load<i32>(dst + o) : 0);
    store<i32>(dst + o, last != 0 && v < 0 ? -1 : v);
  }
}
