/**
 * A loss on the logits of one row, ℓ(zᵢ, yᵢ), with zᵢ ∈ ℝ^K and yᵢ a class index. The linear-model
 * objective (objective.ts) lifts it through X; the models evaluate it on fitted coefficients.
 *
 * The loss itself is computed by the kernel module, block by block inside the passes over X
 * (src/loss/wasm/: binomial.ts, multinomial.ts, sweep.ts); the kernels tell the two losses apart by
 * K, the number of logits per row. This descriptor is what the TypeScript side knows of a loss.
 */
export interface PointwiseLoss {
  /** 'binomial' (K = 1) or 'multinomial' (K ≥ 2 classes). */
  readonly name: 'binomial' | 'multinomial';
  /** Logits per row. */
  readonly K: number;
  /** Columns of the probabilities: 2 for binomial (P(class 0), P(class 1)), K for multinomial. */
  readonly nClasses: number;
}
