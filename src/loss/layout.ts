/**
 * The coefficient layout, stated once for the whole library.
 *
 * A linear model with K logits per row over d features is the flat vector
 *
 *     x = [ W₀₀ … W₀,d−1 | W₁₀ … | … | W_K−1,d−1 | b₀ … b_K−1 ]
 *
 * W (K×d, row-major: logit k's coefficients are contiguous) followed by the K intercepts b when
 * the model fits an intercept. Row i's logits are zᵢₖ = Σⱼ Wₖⱼ·Xᵢⱼ + bₖ. Binary logistic regression
 * has K = 1; multinomial softmax regression has K = number of classes.
 */
export interface Layout {
  readonly d: number;
  readonly K: number;
  readonly fitIntercept: boolean;
  /** Length of x: K·d + (fitIntercept ? K : 0). */
  readonly dim: number;
}

export function makeLayout(d: number, K: number, fitIntercept: boolean): Layout {
  return { d, K, fitIntercept, dim: K * d + (fitIntercept ? K : 0) };
}

/** W as a view into x (no copy). */
export function coefView(x: Float64Array, L: Layout): Float64Array {
  return x.subarray(0, L.K * L.d);
}

/** b as a view into x, or null when the model has no intercept. */
export function interceptView(x: Float64Array, L: Layout): Float64Array | null {
  return L.fitIntercept ? x.subarray(L.K * L.d, L.K * L.d + L.K) : null;
}

/**
 * The ridge term ridge·‖W‖²_F/2 of the objective at x (intercepts not penalized), adding ridge·W to
 * grad's W block when `grad` is given. Every objective (in memory, streamed) sums it in this order.
 */
export function ridgePenalty(x: Float64Array, L: Layout, ridge: number, grad: Float64Array | null): number {
  if (ridge === 0) return 0;
  const W = coefView(x, L);
  let sq = 0;
  for (let j = 0; j < W.length; j++) {
    const w = W[j]!;
    sq += w * w;
    if (grad !== null) grad[j] += ridge * w;
  }
  return 0.5 * ridge * sq;
}
