import type { DenseMatrix } from './dense.js';
import { backwardRows, forwardRows } from './rows.js';

/**
 * The matrix kernels every fit runs, over an n×d data matrix X (row-major) and a K×d coefficient
 * block W (row-major: class k's coefficients are W[k·d .. k·d + d)), with optional intercepts b (K).
 * Nothing here knows what a loss is: the loss enters as a visitor called on each block of logits.
 */

/**
 * Called once per block of rows during a sweep. On entry Z (count×K, row-major) holds the logits
 * Z_B = X_B·Wᵀ + 1·bᵀ of the block's rows; those rows are `rows[start + j]` when `rows` is given,
 * else `start + j`, for j < count. The visitor overwrites Z with the residuals R_B to be
 * back-propagated (for a loss gradient: sᵢ·∂ℓᵢ/∂zᵢ) and returns a partial sum (for example Σ sᵢℓᵢ).
 */
export type BlockVisitor = (Z: Float64Array, count: number, start: number, rows: Uint32Array | null) => number;

/** The kernel interface. An implementation owns a read-only view of X. */
export interface LinearKernels {
  readonly rows: number;
  readonly cols: number;
  /** Z (n×K) = X·Wᵀ + 1·bᵀ; b may be null (no intercept). */
  forward(W: Float64Array, b: Float64Array | null, K: number, Z: Float64Array): void;
  /**
   * One fused sweep of X, in row blocks that stay in cache: logits forward, the visitor, then the
   * backward products. Overwrites G (K×d) with Rᵀ·X and, when gb is not null, gb (K) with the column
   * sums 1ᵀR. Returns the sum of the visitor's returns. With `rows`, only rows[0..count) are swept.
   */
  sweep(
    W: Float64Array, b: Float64Array | null, K: number, visit: BlockVisitor,
    G: Float64Array, gb: Float64Array | null, rows?: Uint32Array, count?: number,
  ): number;
  /** out (K×d) = Σᵢ A[i,k]·X[i,j]², for A (n×K): the diagonal of the weighted Gram matrices XᵀDₖX. */
  weightedSquares(A: Float64Array, K: number, out: Float64Array): void;
  /** Releases threads or other resources (a no-op for the serial kernels). */
  dispose?(): void;
}

/** Rows per block: 128 rows × 100 float64 features is 100 KiB, which stays in L2 between passes. */
export const BLOCK_ROWS = 128;

/**
 * The serial JavaScript kernels over the row kernels of rows.ts. DESIGN.md measured ml-matrix
 * `mmul` 7-20× slower than this kind of loop.
 */
export function jsKernels(X: DenseMatrix): LinearKernels {
  const { data, rows: n, cols: d } = X;
  let Zb = new Float64Array(BLOCK_ROWS);

  return {
    rows: n,
    cols: d,
    forward(W, b, K, Z) {
      forwardRows(data, d, W, b, K, Z, 0, 0, n);
    },
    sweep(W, b, K, visit, G, gb, rows, count) {
      const total = rows === undefined ? n : (count ?? rows.length);
      const idx = rows ?? null;
      if (Zb.length < BLOCK_ROWS * K) Zb = new Float64Array(BLOCK_ROWS * K);
      const Z = Zb;
      G.fill(0, 0, K * d);
      if (gb !== null) gb.fill(0, 0, K);
      let acc = 0;
      for (let start = 0; start < total; start += BLOCK_ROWS) {
        const m = Math.min(BLOCK_ROWS, total - start);
        if (idx === null) {
          forwardRows(data, d, W, b, K, Z, 0, start, start + m);
          acc += visit(Z, m, start, null);
          backwardRows(data, d, Z, 0, K, G, gb, start, start + m);
          continue;
        }
        // A subset of rows (a mini-batch): one row at a time.
        for (let t = 0; t < m; t++) forwardRows(data, d, W, b, K, Z, t * K, idx[start + t]!, idx[start + t]! + 1);
        acc += visit(Z, m, start, idx);
        for (let t = 0; t < m; t++) backwardRows(data, d, Z, t * K, K, G, gb, idx[start + t]!, idx[start + t]! + 1);
      }
      return acc;
    },
    weightedSquares(A, K, out) {
      out.fill(0, 0, K * d);
      for (let i = 0; i < n; i++) {
        const off = i * d;
        for (let k = 0; k < K; k++) {
          const a = A[i * K + k]!;
          if (a === 0) continue;
          const goff = k * d;
          for (let j = 0; j < d; j++) {
            const v = data[off + j]!;
            out[goff + j] += a * v * v;
          }
        }
      }
    },
  };
}
