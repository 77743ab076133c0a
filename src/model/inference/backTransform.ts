/**
 * From a fit on standardized columns zⱼ = (xⱼ − mⱼ)/sⱼ back to the original columns. The model
 * b₀ + Σⱼ bⱼzⱼ is the same function as β₀ + Σⱼ βⱼxⱼ with
 *
 *     βⱼ = bⱼ/sⱼ,     β₀ = b₀ − Σⱼ bⱼmⱼ/sⱼ,
 *
 * a linear map β = J·b, so Cov(β̂) = J·Cov(b̂)·Jᵀ exactly (for every covariance type: leverages and
 * cluster sums do not change under a linear reparametrization). Columns that were not standardized
 * (indicators) have m = 0, s = 1 and pass through. Softmax: the same map on every class's block.
 */

/**
 * The Jacobian J (m×m, row-major) for parameters laid out in `blocks` blocks of 1 + p entries
 * (intercept, then the p coefficients), with per-coefficient mean and std (length p).
 */
export function standardizationJacobian(blocks: number, mean: ArrayLike<number>, std: ArrayLike<number>): Float64Array {
  const p = mean.length;
  const b = p + 1;
  const m = blocks * b;
  const J = new Float64Array(m * m);
  for (let k = 0; k < blocks; k++) {
    const o = k * b;
    J[o * m + o] = 1;
    for (let j = 0; j < p; j++) {
      J[o * m + o + 1 + j] = -mean[j]! / std[j]!;
      J[(o + 1 + j) * m + o + 1 + j] = 1 / std[j]!;
    }
  }
  return J;
}
