import type { ModelMatrix } from '../../backend/modelMatrix.js';
import type { LinearModelObjective } from '../../loss/objective.js';
import { congruence, submatrix } from './dense.js';
import type { CovType, WeightsAre } from './options.js';
import { predictorAndQuadratic } from './quadratic.js';

/**
 * Sandwich covariances of the estimates θ̂, with the bread B = H⁻¹ (the nonrobust covariance) and a
 * meat formed by passes of the kernels:
 *
 *     Cov = c · B·(Σ gᵢgᵢᵀ)·B                      hc0 (c = 1), hc1 (c = n/(n − k))
 *     Cov = B·(Σ gᵢgᵢᵀ/(1 − hᵢ)^a)·B               hc2 (a = 1), hc3 (a = 2); binary only
 *     Cov = c · B·(Σ_g u_g u_gᵀ)·B, u_g = Σ_{i∈g} gᵢ,  c = G/(G − 1)·(n − 1)/(n − k)    cluster
 *
 * with gᵢ = Rᵢ ⊗ x̃ᵢ the score of row i (Rᵢ = wᵢ·∂ℓ/∂zᵢ, the objective's residuals) and k the number
 * of parameters. Weights: frequency weights count a row wᵢ times (replicas each with the score
 * gᵢ/wᵢ: meat Σ gᵢgᵢᵀ/wᵢ, n = Σ wᵢ, leverage of a replica pᵢ(1 − pᵢ)x̃ᵢᵀBx̃ᵢ); analytic weights are
 * the weighted MLE (meat Σ gᵢgᵢᵀ, n = the rows of positive weight, leverage wᵢpᵢ(1 − pᵢ)x̃ᵢᵀBx̃ᵢ).
 * These are statsmodels' and R sandwich's definitions (test/fixtures/inference/README.md).
 *
 * Passes: Σ gᵢgᵢᵀ is the objective's `outerGram` over the scaled residuals (one Gram pass, the cost
 * of the Hessian); cluster sums u_g are the objective's mini-batch gradient over each cluster's rows
 * (one pass over X in all); leverages are one forward pass (quadratic.ts).
 */

export interface SandwichInput {
  objective: LinearModelObjective;
  /** The fitted point, in the objective's layout. */
  x: Float64Array;
  /** θ's entries as indices into x. */
  idx: readonly number[];
  /** B = H⁻¹ on θ (m×m, row-major). */
  bread: Float64Array;
  covType: Exclude<CovType, 'nonrobust'>;
  /** The fit's row weights (null: all 1). */
  weights: Float64Array | null;
  weightsAre: WeightsAre;
  /** Cluster index (0 … G − 1) of every row, for 'cluster'. */
  groups: Int32Array | null;
  /** HC2/HC3 (binary): the rows, in θ order through `order`, and θ itself. */
  rows?: { M: ModelMatrix; order: Int32Array; fitIntercept: boolean; theta: ArrayLike<number>; threads: number | 'auto' };
}

export interface Sandwich {
  cov: Float64Array;
  /** Number of clusters (cluster), else null. */
  nGroups: number | null;
  /** The n of the small-sample factors. */
  nEffective: number;
}

/** The n of the small-sample corrections: Σ wᵢ for frequency weights, the rows of positive weight for analytic ones. */
export function effectiveN(weights: Float64Array | null, n: number, weightsAre: WeightsAre): number {
  if (weights === null) return n;
  let s = 0;
  for (let i = 0; i < weights.length; i++) s += weightsAre === 'analytic' ? (weights[i]! > 0 ? 1 : 0) : weights[i]!;
  return s;
}

/** The covariance of θ̂ of type `covType` (m×m, row-major, in θ's order), by the formulas above. */
export function sandwichCovariance(inp: SandwichInput): Sandwich {
  const { objective, x, idx, bread, covType, weights, weightsAre } = inp;
  const m = idx.length;
  const q = objective.dim;
  const n = objective.nSamples;
  const nEff = effectiveN(weights, n, weightsAre);
  let meat: Float64Array;
  let factor = 1;
  let nGroups: number | null = null;
  if (covType === 'cluster') {
    if (inp.groups === null) throw new Error('cluster covariance without groups');
    const { meat: mc, G } = clusterMeat(objective, x, idx, inp.groups, weights);
    meat = mc;
    nGroups = G;
    if (G < 2) throw new RangeError(`cluster-robust standard errors need at least 2 clusters, the rows fall in ${G}`);
    factor = (G / (G - 1)) * ((nEff - 1) / (nEff - m));
  } else {
    const R = objective.residuals(x);
    const Kr = R.length / n;
    if (weights !== null && weightsAre === 'frequency') {
      // A row of weight w stands for w replicas of score gᵢ/w: Σ over replicas = gᵢgᵢᵀ/w.
      for (let i = 0; i < n; i++) {
        const f = weights[i]! > 0 ? 1 / Math.sqrt(weights[i]!) : 0;
        for (let k = 0; k < Kr; k++) R[i * Kr + k] = R[i * Kr + k]! * f;
      }
    }
    if (covType === 'hc2' || covType === 'hc3') {
      if (inp.rows === undefined || Kr !== 1) throw new RangeError(`${covType} needs leverages, which are defined for the binary model only (neither statsmodels nor R sandwich defines them for the multinomial one); use hc0, hc1 or cluster`);
      const h = leverages(inp.rows, bread, weights, weightsAre);
      const a = covType === 'hc2' ? 0.5 : 1;
      for (let i = 0; i < n; i++) {
        if (!(h[i]! < 1)) throw new RangeError(`row ${i} has leverage ${h[i]} (it alone determines a parameter), so ${covType} is not defined; use hc0 or hc1`);
        R[i] = R[i]! / Math.pow(1 - h[i]!, a);
      }
    }
    meat = submatrix(objective.outerGram(R), q, idx);
    if (covType === 'hc1') factor = nEff / (nEff - m);
  }
  if (!(nEff > m) && (covType === 'hc1' || covType === 'cluster')) {
    throw new RangeError(`${covType} needs more observations (${nEff}) than parameters (${m})`);
  }
  const cov = congruence(bread, meat, m, m);
  if (factor !== 1) for (let i = 0; i < cov.length; i++) cov[i] = cov[i]! * factor;
  return { cov, nGroups, nEffective: nEff };
}

/**
 * Leverages hᵢ = cᵢ·x̃ᵢᵀBx̃ᵢ of a binary model, cᵢ = pᵢ(1 − pᵢ) (times wᵢ for analytic weights): the
 * diagonal of the hat matrix W^½X̃BX̃ᵀW^½ of the final IRLS step (R's hatvalues for a glm).
 */
export function leverages(
  rows: NonNullable<SandwichInput['rows']>, bread: Float64Array, weights: Float64Array | null, weightsAre: WeightsAre,
): Float64Array {
  const { eta, quadratic } = predictorAndQuadratic(rows.M, rows.order, rows.fitIntercept, rows.theta, bread, rows.threads);
  const h = new Float64Array(eta.length);
  for (let i = 0; i < eta.length; i++) {
    const e = Math.exp(-Math.abs(eta[i]!));
    const curvature = e / ((1 + e) * (1 + e)); // p(1 − p), exact in both tails
    h[i] = curvature * quadratic[i]! * (weights !== null && weightsAre === 'analytic' ? weights[i]! : 1);
  }
  return h;
}

/**
 * Σ_g u_g u_gᵀ on θ, u_g = Σ_{i∈g} gᵢ: each cluster's score sum is the objective's mini-batch
 * gradient over its rows (the kernel's gradient on a row subset), scaled back from the batch mean
 * and without the penalty's gradient, which the mini-batch gradient adds (and returns alone for an
 * empty batch).
 */
function clusterMeat(
  objective: LinearModelObjective, x: Float64Array, idx: readonly number[], groups: Int32Array, weights: Float64Array | null,
): { meat: Float64Array; G: number } {
  const n = objective.nSamples;
  let G = 0;
  for (let i = 0; i < n; i++) G = Math.max(G, groups[i]! + 1);
  const start = new Int32Array(G + 1);
  for (let i = 0; i < n; i++) start[groups[i]! + 1]++;
  for (let g = 0; g < G; g++) start[g + 1] += start[g]!;
  const rows = new Uint32Array(n);
  const fill = Int32Array.from(start.subarray(0, G));
  for (let i = 0; i < n; i++) rows[fill[groups[i]!]!++] = i;
  const q = objective.dim;
  const m = idx.length;
  // The gradient of the penalty alone: what the mini-batch gradient of an empty batch returns.
  const penalty = new Float64Array(q);
  objective.batchValueAndGradient(x, penalty, rows.subarray(0, 0), 0);
  const grad = new Float64Array(q);
  const u = new Float64Array(m);
  const meat = new Float64Array(m * m);
  let present = 0;
  for (let g = 0; g < G; g++) {
    const count = start[g + 1]! - start[g]!;
    if (count === 0) continue;
    const batch = rows.subarray(start[g]!, start[g + 1]!);
    let SB = count;
    if (weights !== null) {
      SB = 0;
      for (let t = 0; t < count; t++) SB += weights[batch[t]!]!;
    }
    if (SB > 0) present++;
    else continue;
    objective.batchValueAndGradient(x, grad, batch, count);
    for (let r = 0; r < m; r++) {
      const j = idx[r]!;
      u[r] = (grad[j]! - penalty[j]!) * SB;
    }
    for (let r = 0; r < m; r++) for (let c = 0; c <= r; c++) meat[r * m + c] += u[r]! * u[c]!;
  }
  for (let r = 0; r < m; r++) for (let c = 0; c < r; c++) meat[c * m + r] = meat[r * m + c]!;
  return { meat, G: present };
}
