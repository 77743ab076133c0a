import { lazy } from '../util/lazy.js';
import type { LinearModelObjective } from '../loss/objective.js';
import { Z_975, chiSquareSf, normalTwoSidedP } from '../util/distributions.js';
import type { Label } from '../util/labels.js';

const mlMatrix = lazy<typeof import('ml-matrix')>('ml-matrix');

/**
 * Maximum-likelihood inference for a fitted model, as statsmodels' `Logit` / `MNLogit` report it,
 * from the Hessian of the same objective the model was fitted with (no second formula).
 *
 * Parameters θ: binary, the d coefficients then the intercept; softmax, one block per class k ≥ 1
 * against the first class (θₖ = βₖ − β₀: coefficients then intercept), MNLogit's baseline-category
 * parametrization. The observed information is I(θ) = S·∇²J(θ) (S = Σᵢ sᵢ: J is a mean, the
 * log-likelihood a sum), Cov(θ̂) = I⁻¹, se = √diag Cov, z = θ̂/se, p = P(|Z| ≥ |z|),
 * 95% CI θ̂ ± 1.959964·se.
 */
export interface Inference {
  /** Parameter names: binary `feature` … `intercept`; softmax `class: feature` … `class: intercept`. */
  names: string[];
  coef: number[];
  stdErr: number[];
  z: number[];
  pValue: number[];
  ciLow: number[];
  ciHigh: number[];
  /** log L(θ̂) = −Σᵢ sᵢℓᵢ. */
  logLikelihood: number;
  /** log-likelihood of the intercept-only model (class frequencies). */
  nullLogLikelihood: number;
  /** McFadden's pseudo-R² = 1 − log L / log L₀. */
  pseudoR2: number;
  /** AIC = 2k − 2 log L, BIC = k·log n − 2 log L, k = number of parameters, n = rows. */
  aic: number;
  bic: number;
  /** Likelihood-ratio test against the intercept-only model: LR = 2(log L − log L₀) ~ χ²(df). */
  lrStatistic: number;
  lrDf: number;
  lrPValue: number;
  nObs: number;
  /** True when the fit had an L2 penalty: then these are not the textbook standard errors. */
  penalized: boolean;
  warnings: string[];
}

/** Why inference is not available: its message is the diagnosis. */
export class InferenceError extends RangeError {
  override readonly name = 'InferenceError';
  constructor(readonly reason: 'perfect-separation' | 'quasi-separation' | 'singular-information', message: string) {
    super(message);
  }
}

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
  converged: boolean;
}

/** Rows predicted with P(true class) above 1 − PERFECT are "perfectly predicted". */
const PERFECT = 1e-6;

export function computeInference(inp: InferenceInput): Inference {
  const { objective, x, K, d, fitIntercept, classes, yIdx, weights } = inp;
  const n = yIdx.length;
  const S = objective.weightSum;
  const names = inp.featureNames ?? Array.from({ length: d }, (_, j) => `x${j}`);

  // θ as indices into x (binary: K = 1, one block; softmax: blocks k = 1..K−1 relative to class 0).
  const idx: number[] = [];
  const base: number[] = [];
  const labels: string[] = [];
  const blocks = K === 1 ? [0] : Array.from({ length: K - 1 }, (_, t) => t + 1);
  for (const k of blocks) {
    const prefix = K === 1 ? '' : `${String(classes[k])}: `;
    for (let j = 0; j < d; j++) {
      idx.push(k * d + inp.order[j]!);
      base.push(K === 1 ? -1 : inp.order[j]!);
      labels.push(prefix + names[j]!);
    }
    if (fitIntercept) {
      idx.push(K * d + k);
      base.push(K === 1 ? -1 : K * d);
      labels.push(`${prefix}intercept`);
    }
  }
  const p = idx.length;
  const theta = idx.map((i, c) => x[i]! - (base[c]! >= 0 ? x[base[c]!]! : 0));

  // Separation: rows whose true class is predicted with probability 1 − PERFECT or more.
  const losses = objective.rowLosses(x);
  let perfect = 0;
  let counted = 0;
  for (let i = 0; i < n; i++) {
    if (weights !== null && weights[i] === 0) continue;
    counted++;
    if (losses[i]! < PERFECT) perfect++;
  }
  if (perfect === counted) {
    throw new InferenceError(
      'perfect-separation',
      `the classes are perfectly separated (every row's class is predicted with probability above 1 − ${PERFECT}), so the maximum-likelihood estimate does not exist and standard errors are meaningless; use the L2 penalty`,
    );
  }

  // Observed information on θ: the rows and columns of S·∇²J at idx (class 0's block held fixed).
  const { Matrix, CholeskyDecomposition } = mlMatrix();
  const Hv = objective.hessVec(x);
  const e = new Float64Array(objective.dim);
  const col = new Float64Array(objective.dim);
  const info = new Matrix(p, p);
  for (let c = 0; c < p; c++) {
    e.fill(0);
    e[idx[c]!] = 1;
    Hv(e, col);
    for (let r = 0; r < p; r++) info.set(r, c, S * col[idx[r]!]!);
  }
  // Symmetrize away rounding.
  for (let r = 0; r < p; r++) for (let c = r + 1; c < p; c++) {
    const v = 0.5 * (info.get(r, c) + info.get(c, r));
    info.set(r, c, v);
    info.set(c, r, v);
  }
  let maxDiag = 0;
  for (let r = 0; r < p; r++) maxDiag = Math.max(maxDiag, Math.abs(info.get(r, r)));
  const chol = new CholeskyDecomposition(info);
  let minPivot = Infinity;
  if (chol.isPositiveDefinite()) {
    const Lm = chol.lowerTriangularMatrix;
    for (let r = 0; r < p; r++) minPivot = Math.min(minPivot, Lm.get(r, r) ** 2);
  }
  const nearSingular = !chol.isPositiveDefinite() || !(minPivot > 1e-12 * maxDiag);
  // With perfectly predicted rows, a much milder ill-conditioning already means an unbounded direction.
  const separatedDirection = perfect > 0 && !(minPivot > 1e-6 * maxDiag);
  if (perfect > 0 && (separatedDirection || !inp.converged)) {
    throw new InferenceError(
      'quasi-separation',
      `quasi-complete separation: ${perfect} of ${counted} rows are predicted with probability above 1 − ${PERFECT} and the information matrix is ${separatedDirection ? 'near singular' : 'not at a converged optimum'}, so some coefficients are unbounded and their standard errors meaningless; use the L2 penalty or drop the separating feature`,
    );
  }
  if (nearSingular) {
    throw new InferenceError(
      'singular-information',
      'the information matrix is singular: some features are linear combinations of others (or constant, with an intercept), so their coefficients are not identified; drop the redundant columns',
    );
  }
  const cov = chol.solve(Matrix.eye(p));
  const stdErr = theta.map((_, c) => Math.sqrt(cov.get(c, c)));
  const z = theta.map((t, c) => t / stdErr[c]!);

  const logLikelihood = -S * objective.dataLoss(x);
  const nClasses = classes.length;
  const wk = new Float64Array(nClasses);
  for (let i = 0; i < n; i++) wk[yIdx[i]!] += weights === null ? 1 : weights[i]!;
  let nullLogLikelihood = 0;
  for (let k = 0; k < nClasses; k++) {
    if (wk[k]! > 0) nullLogLikelihood += wk[k]! * Math.log(fitIntercept ? wk[k]! / S : 1 / nClasses);
  }
  const lrDf = p - (fitIntercept ? nClasses - 1 : 0);
  const lrStatistic = 2 * (logLikelihood - nullLogLikelihood);
  const penalized = Number.isFinite(inp.C);
  const warnings: string[] = [];
  if (penalized) {
    warnings.push(
      `the fit is penalized (L2, C = ${inp.C}): these standard errors come from the penalized Hessian and are not the textbook maximum-likelihood ones; refit with penalty 'none' for those`,
    );
  }
  if (perfect > 0) warnings.push(`${perfect} of ${counted} rows are predicted with probability above 1 − ${PERFECT}`);
  return {
    names: labels,
    coef: theta,
    stdErr,
    z,
    pValue: z.map(normalTwoSidedP),
    ciLow: theta.map((t, c) => t - Z_975 * stdErr[c]!),
    ciHigh: theta.map((t, c) => t + Z_975 * stdErr[c]!),
    logLikelihood,
    nullLogLikelihood,
    pseudoR2: 1 - logLikelihood / nullLogLikelihood,
    aic: 2 * p - 2 * logLikelihood,
    bic: p * Math.log(n) - 2 * logLikelihood,
    lrStatistic,
    lrDf,
    lrPValue: chiSquareSf(lrStatistic, lrDf),
    nObs: n,
    penalized,
    warnings,
  };
}
