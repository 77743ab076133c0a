/**
 * A loss on the logits of one row, ℓ(zᵢ, yᵢ), with zᵢ ∈ ℝ^K and yᵢ a class index. The linear-model
 * objective (objective.ts) lifts it through X; the metrics layer evaluates it on fitted models.
 * All methods work on a block of rows given as logits Z (count×K, row-major), labels addressed
 * through `rowOf(j)` = rows ? rows[start + j] : start + j.
 */
export interface PointwiseLoss {
  /** Logits per row. */
  readonly K: number;
  /** Entries of curvature stored per row by `gradientBlock` for later Hessian products. */
  readonly curvStride: number;
  /**
   * Returns Σⱼ sⱼ·ℓ(zⱼ, yⱼ) over the block and overwrites Z with sⱼ·∂ℓ/∂zⱼ. When `curv` is not null,
   * also writes row i's curvature (curvStride entries, including its weight sᵢ) at curv[i·curvStride].
   * s = null means every weight is 1.
   */
  gradientBlock(
    Z: Float64Array, count: number, start: number, rows: Uint32Array | null,
    y: Int32Array, s: Float64Array | null, curv: Float64Array | null,
  ): number;
  /** Returns Σⱼ sⱼ·ℓ(zⱼ, yⱼ) over the block and sets Z to 0 (nothing to back-propagate). */
  valueBlock(Z: Float64Array, count: number, start: number, rows: Uint32Array | null, y: Int32Array, s: Float64Array | null): number;
  /**
   * Overwrites U (count×K, the logits of a direction: uᵢ = V·xᵢ + v_b) with sᵢ·∇²ℓᵢ·uᵢ, using the
   * curvature stored by `gradientBlock` at the same rows.
   */
  hessianBlock(U: Float64Array, count: number, start: number, rows: Uint32Array | null, curv: Float64Array): void;
  /** Writes A (n×K) = the diagonal of sᵢ·∇²ℓᵢ for every row, from stored curvature. */
  curvatureDiagonal(curv: Float64Array, n: number, A: Float64Array): void;
  /** Probabilities from logits for `count` rows: out (count×nClasses, row-major), rows summing to 1. */
  probabilities(Z: Float64Array, count: number, out: Float64Array): void;
  /** Columns of `probabilities`' output: 2 for binomial (P(class 0), P(class 1)), K for multinomial. */
  readonly nClasses: number;
}

/** softplus(z) = log(1 + eᶻ), without overflow for large z nor loss of precision for very negative z. */
export function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/** σ(z) = 1 / (1 + e⁻ᶻ), evaluated so that exp never overflows. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** log Σₖ exp(zₖ) over z[off .. off + K), shifted by the maximum so exp never overflows. */
export function logSumExp(z: Float64Array, off: number, K: number): number {
  let m = -Infinity;
  for (let k = 0; k < K; k++) if (z[off + k]! > m) m = z[off + k]!;
  if (m === -Infinity) return -Infinity;
  let s = 0;
  for (let k = 0; k < K; k++) s += Math.exp(z[off + k]! - m);
  return m + Math.log(s);
}
