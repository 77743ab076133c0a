import { spdInverse } from '../backend/linalg.js';
import type { LinearModelObjective } from '../loss/objective.js';
import { Z_975, chiSquareSf, normalTwoSidedP } from '../util/distributions.js';
import type { Label } from '../util/labels.js';
import type { SeparationReport } from './separationCheck.js';

/**
 * Maximum-likelihood inference for a fitted model, as statsmodels' `Logit` / `MNLogit` and R's
 * `glm` report it, from the Hessian of the same objective the model was fitted with (no second
 * formula), formed in one pass of the kernels and inverted by a Cholesky factorization in kernel
 * memory.
 *
 * Parameters θ: binary, the intercept then the coefficients in model order; softmax, one block per
 * class k ≥ 1 against the first class (θₖ = βₖ − β₀: intercept then coefficients), MNLogit's
 * baseline-category parametrization. The observed information is I(θ) = S·∇²J(θ) (S = Σᵢ sᵢ: J is a
 * mean, the log-likelihood a sum), Cov(θ̂) = I⁻¹, se = √diag Cov, z = θ̂/se, p = P(|Z| ≥ |z|),
 * 95% CI θ̂ ± 1.959964·se. Weights are frequency weights: a row of weight w counts as w rows, so
 * the number of observations in BIC is S = Σᵢ sᵢ (statsmodels' freq_weights convention).
 */
export interface Inference {
  /** Parameter names: binary `intercept`, then the columns; softmax `class: intercept`, `class: column`, … */
  names: string[];
  coef: number[];
  stdErr: number[];
  z: number[];
  pValue: number[];
  ciLow: number[];
  ciHigh: number[];
  /** Cov(θ̂), row-major, in `names` order. */
  cov: number[];
  /** log L(θ̂) = −Σᵢ sᵢℓᵢ. */
  logLikelihood: number;
  /** log-likelihood of the intercept-only model (class frequencies; also for a model without intercept, as statsmodels). */
  nullLogLikelihood: number;
  /** McFadden's pseudo-R² = 1 − log L / log L₀. */
  pseudoR2: number;
  /** AIC = 2k − 2 log L, BIC = k·log N − 2 log L, k = number of parameters, N = nObs. */
  aic: number;
  bic: number;
  /** Likelihood-ratio test against the intercept-only model: LR = 2(log L − log L₀) ~ χ²(df). */
  lrStatistic: number;
  lrDf: number;
  lrPValue: number;
  /** Number of observations: Σᵢ sᵢ (the row count without weights). */
  nObs: number;
  /** True when the fit had an L2 penalty: then these are not the textbook standard errors. */
  penalized: boolean;
  warnings: string[];
}

/** Why inference is not available: its message is the diagnosis. */
export class InferenceError extends RangeError {
  override readonly name = 'InferenceError';
  constructor(readonly reason: 'complete-separation' | 'quasi-complete-separation' | 'singular-information' | 'too-large', message: string) {
    super(message);
  }
}

/** Most coefficients (K·(p + 1)) for which inference forms and inverts the full Hessian. */
export const MAX_INFERENCE_COEFFICIENTS = 2000;

/** What inference needs from a fit. */
export interface InferenceInput {
  /** The training objective at the model's C (Infinity when unpenalized). */
  objective: LinearModelObjective;
  /** The fitted parameters in the objective's layout (layout.ts). */
  x: Float64Array;
  K: number;
  d: number;
  /** The objective's column of each named coefficient: coefficient j of class k is x[k·d + order[j]]. */
  order: Int32Array;
  fitIntercept: boolean;
  classes: readonly Label[];
  featureNames: readonly string[] | null;
  yIdx: Int32Array;
  weights: Float64Array | null;
  C: number;
  /** The exact separation test's verdict on these rows (unpenalized fits), or null. */
  separation: SeparationReport | null;
}

export function computeInference(inp: InferenceInput): Inference {
  const { objective, x, K, d, fitIntercept, classes, yIdx, weights } = inp;
  const n = yIdx.length;
  const S = objective.weightSum;
  const names = inp.featureNames ?? Array.from({ length: d }, (_, j) => `x${j}`);
  const sep = inp.separation;
  if (sep !== null && (sep.status === 'complete' || sep.status === 'quasi-complete')) {
    const which = sep.columns.length > 0 ? ` The coefficients of ${sep.columns.slice(0, 8).join(', ')}${sep.columns.length > 8 ? ', …' : ''} tend to ±∞.` : '';
    throw new InferenceError(
      sep.status === 'complete' ? 'complete-separation' : 'quasi-complete-separation',
      `${sep.status} separation: the classes are separated${sep.status === 'quasi-complete' ? ` (but for ${sep.rowsOnBoundary} rows on the boundary)` : ''}, so the maximum-likelihood estimate does not exist and standard errors are meaningless.${which} Use the L2 penalty, or leave out the separating columns.`,
    );
  }
  if (objective.dim > MAX_INFERENCE_COEFFICIENTS) {
    throw new InferenceError(
      'too-large',
      `the model has ${objective.dim} coefficients; inference forms their full covariance matrix, which is done for up to ${MAX_INFERENCE_COEFFICIENTS}`,
    );
  }

  // θ as indices into x (binary: K = 1, one block; softmax: blocks k = 1..K−1 relative to class 0),
  // intercept first in each block.
  const idx: number[] = [];
  const base: number[] = [];
  const labels: string[] = [];
  const blocks = K === 1 ? [0] : Array.from({ length: K - 1 }, (_, t) => t + 1);
  for (const k of blocks) {
    const prefix = K === 1 ? '' : `${String(classes[k])}: `;
    if (fitIntercept) {
      idx.push(K * d + k);
      base.push(K === 1 ? -1 : K * d);
      labels.push(`${prefix}intercept`);
    }
    for (let j = 0; j < d; j++) {
      idx.push(k * d + inp.order[j]!);
      base.push(K === 1 ? -1 : inp.order[j]!);
      labels.push(prefix + names[j]!);
    }
  }
  const m = idx.length;
  const theta = idx.map((i, c) => x[i]! - (base[c]! >= 0 ? x[base[c]!]! : 0));

  // Observed information on θ: the rows and columns of S·∇²J at idx (class 0's block held fixed).
  const H = objective.hessianMatrix(x);
  const q = objective.dim;
  const info = new Float64Array(m * m);
  for (let r = 0; r < m; r++) for (let c = 0; c < m; c++) info[r * m + c] = S * H[idx[r]! * q + idx[c]!]!;
  const cov = spdInverse(info, m, 1e-10);
  if (!(cov instanceof Float64Array)) {
    const name = labels[cov.failed]!;
    const unchecked = sep !== null && sep.status === 'not-checked' ? ' (or the classes are separated: that was not checked exactly on data this large)' : '';
    throw new InferenceError(
      'singular-information',
      `the information matrix is singular: ${JSON.stringify(name)} is a linear combination of the parameters before it (a constant column with an intercept, or a column that repeats others)${unchecked}, so its coefficient is not identified; leave the redundant column out`,
    );
  }
  const stdErr = theta.map((_, c) => Math.sqrt(cov[c * m + c]!));
  const z = theta.map((t, c) => t / stdErr[c]!);

  const logLikelihood = -S * objective.dataLoss(x);
  const nClasses = classes.length;
  const wk = new Float64Array(nClasses);
  for (let i = 0; i < n; i++) wk[yIdx[i]!] += weights === null ? 1 : weights[i]!;
  // The null model is the constant-only one (the class frequencies) also for a model without
  // intercept, as statsmodels' llnull (R's glm instead compares with p = 1/K there).
  let nullLogLikelihood = 0;
  for (let k = 0; k < nClasses; k++) if (wk[k]! > 0) nullLogLikelihood += wk[k]! * Math.log(wk[k]! / S);
  const lrDf = m - (fitIntercept ? nClasses - 1 : 0);
  const lrStatistic = 2 * (logLikelihood - nullLogLikelihood);
  const penalized = Number.isFinite(inp.C);
  const warnings: string[] = [];
  if (penalized) {
    warnings.push(
      `the fit is penalized (L2, C = ${inp.C}): these standard errors come from the penalized Hessian and are not the textbook maximum-likelihood ones; refit with penalty 'none' for those`,
    );
  }
  return {
    names: labels,
    coef: theta,
    stdErr,
    z,
    pValue: z.map(normalTwoSidedP),
    ciLow: theta.map((t, c) => t - Z_975 * stdErr[c]!),
    ciHigh: theta.map((t, c) => t + Z_975 * stdErr[c]!),
    cov: Array.from(cov),
    logLikelihood,
    nullLogLikelihood,
    pseudoR2: 1 - logLikelihood / nullLogLikelihood,
    aic: 2 * m - 2 * logLikelihood,
    bic: m * Math.log(S) - 2 * logLikelihood,
    lrStatistic,
    lrDf,
    lrPValue: chiSquareSf(lrStatistic, lrDf),
    nObs: S,
    penalized,
    warnings,
  };
}
