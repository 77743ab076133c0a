import { spdInverse } from '../backend/linalg.js';
import { type ModelMatrix, matrixRow } from '../backend/modelMatrix.js';
import type { LinearModelObjective } from '../loss/objective.js';
import { chiSquareSf, normalCritical, normalTwoSidedP } from '../util/distributions.js';
import type { Label } from '../util/labels.js';
import { standardizationJacobian } from './inference/backTransform.js';
import { effectiveN, sandwichCovariance } from './inference/covariance.js';
import { congruence, matMul, sqrtDiagonal, submatrix } from './inference/dense.js';
import { type MarginalEffects, marginalEffects } from './inference/margeff.js';
import type { CovType, ResolvedSummaryOptions, WeightsAre } from './inference/options.js';
import { type WaldTest, parseHypothesis, waldTest } from './inference/wald.js';
import type { SeparationReport } from './separationCheck.js';
import type { Standardization } from './standardize.js';

/**
 * Maximum-likelihood inference for a fitted model, as statsmodels' `Logit` / `MNLogit` and R's
 * `glm` report it, from the Hessian of the same objective the model was fitted with (no second
 * formula), formed in one pass of the kernels and inverted by a Cholesky factorization in kernel
 * memory.
 *
 * Parameters θ: binary, the intercept then the coefficients in model order; softmax, one block per
 * class other than the reference class r (the first class unless chosen), in class order, each
 * against r (θₖ = βₖ − β_r: intercept then coefficients), MNLogit's baseline-category
 * parametrization. The observed information is I(θ) = S·∇²J(θ) (S = Σᵢ sᵢ: J is a mean, the
 * log-likelihood a sum); the covariance is I⁻¹ ('nonrobust') or a sandwich around it (hc0 … hc3,
 * cluster: inference/covariance.ts); se = √diag Cov, z = θ̂/se, p = P(|Z| ≥ |z|), interval
 * θ̂ ± Φ⁻¹(½ + level/2)·se. Frequency weights: a row of weight w counts as w rows, so the number of
 * observations (BIC, small-sample factors) is S = Σᵢ sᵢ (statsmodels' freq_weights convention);
 * analytic weights: n is the number of rows.
 *
 * A standardized fit is reported in the original columns' units by default: θ and Cov go through
 * the exact Jacobian of the back-transform (inference/backTransform.ts), and everything after
 * (odds ratios, marginal effects, tests) is on that scale.
 */
export interface Inference {
  /** Parameter names: binary `intercept`, then the columns; softmax `class: intercept`, `class: column`, … */
  names: string[];
  coef: number[];
  stdErr: number[];
  z: number[];
  pValue: number[];
  /** The interval at `confLevel` (95% by default). */
  ciLow: number[];
  ciHigh: number[];
  /** Cov(θ̂) of type `covType`, row-major, in `names` order. */
  cov: number[];
  covType: CovType;
  confLevel: number;
  /** 'original': the columns' own units (back-transformed when `backTransformed`); 'standardized': the z-scores of a standardized fit. */
  scale: 'original' | 'standardized';
  backTransformed: boolean;
  /** How the weights were read (null for an unweighted fit). */
  weightsAre: WeightsAre | null;
  /** Number of clusters (covType 'cluster'), else null. */
  nGroups: number | null;
  /** Binary: the class whose probability the model gives (classes[1]); softmax: null. */
  positiveClass: Label | null;
  /** Softmax: the class the blocks are compared with; binary: null. */
  referenceClass: Label | null;
  /** exp(θ) with its interval: odds ratios (binary) or relative-risk ratios (softmax), when asked. */
  oddsRatios: RatioTable | null;
  /** Marginal effects, when asked (inference/margeff.ts). */
  margeff: MarginalEffects | null;
  /** Wald tests, one per hypothesis asked (inference/wald.ts). */
  tests: WaldTest[];
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
  /** Number of observations: Σᵢ sᵢ (the row count without weights; the rows of positive weight for analytic weights). */
  nObs: number;
  /** True when the fit had an L2 penalty: then these are not the textbook standard errors. */
  penalized: boolean;
  warnings: string[];
}

/** exp(θ̂) and exp of the interval's ends (statsmodels: np.exp(conf_int)). */
export interface RatioTable {
  kind: 'odds ratio' | 'relative-risk ratio';
  names: string[];
  estimate: number[];
  low: number[];
  high: number[];
}

/** Why inference is not available: its message is the diagnosis. */
export class InferenceError extends RangeError {
  override readonly name = 'InferenceError';
  constructor(readonly reason: 'complete-separation' | 'quasi-complete-separation' | 'singular-information' | 'too-large' | 'l1-penalty', message: string) {
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
  /** The rows (as the objective reads them: standardized when the model is). */
  M: ModelMatrix;
  /** The model's standardization, per coefficient (public order), or null. */
  standardization: Standardization | null;
  /** The checked summary options (inference/options.ts). */
  options: ResolvedSummaryOptions;
  /** Cluster index (0 … G − 1) of every row, for covType 'cluster'. */
  groups: Int32Array | null;
  threads: number | 'auto';
}

/** The covariance on the model's own scale (what prediction intervals use), next to the inference. */
export interface ModelCovariance {
  type: CovType;
  names: string[];
  /** m×m, row-major. */
  matrix: Float64Array;
}

export function computeInference(inp: InferenceInput): Inference {
  return inferWithCovariance(inp).inference;
}

/** The inference, and the covariance of the model's own parameters (before any back-transform). */
export function inferWithCovariance(inp: InferenceInput): { inference: Inference; model: ModelCovariance } {
  const { objective, x, K, d, fitIntercept, classes, yIdx, weights, options } = inp;
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

  // The choices of the options that depend on the model.
  const binary = K === 1;
  let ref = 0;
  if (options.referenceClass !== null) {
    if (binary) throw new RangeError(`referenceClass applies to softmax models; a binary model gives the probability of its positive class (${String(classes[1])}): choose it with positiveClass when fitting`);
    ref = findClass(classes, options.referenceClass);
    if (ref < 0) throw new RangeError(`referenceClass ${JSON.stringify(options.referenceClass)} is not one of the classes (${classes.map(String).join(', ')})`);
  }
  if (weights === null && options.weightsAre === 'analytic') {
    throw new RangeError("weightsAre 'analytic' applies to a weighted fit (sample weights, a weight column or class weights); this fit has no weights");
  }
  const weightsAre = weights === null ? null : options.weightsAre;
  const covType: CovType = options.covType ?? (weightsAre === 'analytic' ? 'hc0' : 'nonrobust');
  if (!binary && (covType === 'hc2' || covType === 'hc3')) {
    throw new RangeError(`covType ${covType} needs leverages, which are defined for the binary model only (neither statsmodels nor R sandwich defines them for the multinomial model); use hc0, hc1 or cluster`);
  }
  if (covType === 'cluster' && inp.groups === null) throw new TypeError("covType 'cluster' needs groups");
  const st = inp.standardization;
  let scale: 'original' | 'standardized' = 'original';
  if (st === null) {
    if (options.scale === 'standardized') throw new RangeError("scale 'standardized' applies to a model fitted with standardize; this one was fitted on the columns as they are");
  } else {
    scale = options.scale ?? (fitIntercept ? 'original' : 'standardized');
    if (scale === 'original' && !fitIntercept) {
      throw new RangeError("scale 'original' needs an intercept: without one, the standardized model's centring has no coefficient in the original units; use scale 'standardized'");
    }
  }
  const backTransformed = st !== null && scale === 'original';

  // θ as indices into x (binary: K = 1, one block; softmax: every class but the reference, relative
  // to it), intercept first in each block.
  const idx: number[] = [];
  const base: number[] = [];
  const labels: string[] = [];
  const blocks = binary ? [0] : Array.from({ length: K }, (_, k) => k).filter((k) => k !== ref);
  for (const k of blocks) {
    const prefix = binary ? '' : `${String(classes[k])}: `;
    if (fitIntercept) {
      idx.push(K * d + k);
      base.push(binary ? -1 : K * d + ref);
      labels.push(`${prefix}intercept`);
    }
    for (let j = 0; j < d; j++) {
      idx.push(k * d + inp.order[j]!);
      base.push(binary ? -1 : ref * d + inp.order[j]!);
      labels.push(prefix + names[j]!);
    }
  }
  const m = idx.length;
  const thetaModel = idx.map((i, c) => x[i]! - (base[c]! >= 0 ? x[base[c]!]! : 0));

  // Observed information on θ: the rows and columns of S·∇²J at idx (the reference block held fixed).
  const H = objective.hessianMatrix(x);
  const q = objective.dim;
  const info = submatrix(H, q, idx);
  for (let i = 0; i < info.length; i++) info[i] = S * info[i]!;
  const bread = spdInverse(info, m, 1e-10);
  if (!(bread instanceof Float64Array)) {
    const name = labels[bread.failed]!;
    const unchecked = sep !== null && sep.status === 'not-checked' ? ' (or the classes are separated: that was not checked exactly on data this large)' : '';
    throw new InferenceError(
      'singular-information',
      `the information matrix is singular: ${JSON.stringify(name)} is a linear combination of the parameters before it (a constant column with an intercept, or a column that repeats others)${unchecked}, so its coefficient is not identified; leave the redundant column out`,
    );
  }
  let covModel = bread;
  let nGroups: number | null = null;
  if (covType !== 'nonrobust') {
    const sw = sandwichCovariance({
      objective, x, idx, bread, covType, weights, weightsAre: weightsAre ?? 'frequency', groups: inp.groups,
      ...(binary ? { rows: { M: inp.M, order: inp.order, fitIntercept, theta: thetaModel, threads: inp.threads } } : {}),
    });
    covModel = sw.cov;
    nGroups = sw.nGroups;
  }

  // The reported scale.
  let theta = thetaModel;
  let cov = covModel;
  if (backTransformed) {
    const J = standardizationJacobian(blocks.length, st!.mean, st!.std);
    theta = Array.from(matMul(J, Float64Array.from(thetaModel), m, m, 1));
    cov = congruence(J, covModel, m, m);
  }
  const level = options.confLevel;
  const zc = normalCritical(level);
  const stdErr = sqrtDiagonal(cov, m);
  const z = theta.map((t, c) => t / stdErr[c]!);
  const ciLow = theta.map((t, c) => t - zc * stdErr[c]!);
  const ciHigh = theta.map((t, c) => t + zc * stdErr[c]!);
  const oddsRatios: RatioTable | null = options.oddsRatios
    ? { kind: binary ? 'odds ratio' : 'relative-risk ratio', names: [...labels], estimate: theta.map(Math.exp), low: ciLow.map(Math.exp), high: ciHigh.map(Math.exp) }
    : null;

  let margeff: MarginalEffects | null = null;
  if (options.margeff !== null) {
    const p = d;
    const rowBuf = new Float64Array(inp.M.cols);
    const c0 = fitIntercept ? 1 : 0;
    const eps = Number.EPSILON;
    margeff = marginalEffects({
      kind: binary ? 'binary' : 'softmax', classes, blockClasses: blocks, fitIntercept, columns: names, theta, cov,
      n, weights, options: options.margeff, confLevel: level,
      row: (i, out) => {
        matrixRow(inp.M, i, rowBuf);
        if (c0 === 1) out[0] = 1;
        for (let j = 0; j < p; j++) {
          let v = rowBuf[inp.order[j]!]!;
          if (backTransformed && (st!.std[j] !== 1 || st!.mean[j] !== 0)) {
            v = v * st!.std[j]! + st!.mean[j]!;
            // z·s + m rounds; a value within that rounding of an integer is the integer it was (0/1 columns stay exact).
            const r = Math.round(v);
            if (Math.abs(v - r) <= 8 * eps * (Math.abs(st!.mean[j]!) + Math.abs(v))) v = r;
          }
          out[c0 + j] = v;
        }
      },
    });
  }
  const tests = options.tests.map((text) => waldTest(text, parseHypothesis(text, labels), theta, cov));

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
  const nObs = weightsAre === 'analytic' ? effectiveN(weights, n, 'analytic') : S;
  const penalized = Number.isFinite(inp.C);
  const warnings: string[] = [];
  if (penalized) {
    warnings.push(
      `the fit is penalized (L2, C = ${inp.C}): these standard errors come from the penalized Hessian and are not the textbook maximum-likelihood ones; refit with penalty 'none' for those`,
    );
  }
  if (weightsAre === 'analytic') {
    warnings.push('analytic weights: the log-likelihood, AIC, BIC and LR test are those of the weighted likelihood, which is not a likelihood of the data; use the Wald tests');
  }
  const inference: Inference = {
    names: labels,
    coef: theta,
    stdErr,
    z,
    pValue: z.map(normalTwoSidedP),
    ciLow,
    ciHigh,
    cov: Array.from(cov),
    covType,
    confLevel: level,
    scale,
    backTransformed,
    weightsAre,
    nGroups,
    positiveClass: binary ? classes[1]! : null,
    referenceClass: binary ? null : classes[ref]!,
    oddsRatios,
    margeff,
    tests,
    logLikelihood,
    nullLogLikelihood,
    pseudoR2: 1 - logLikelihood / nullLogLikelihood,
    aic: 2 * m - 2 * logLikelihood,
    bic: m * Math.log(nObs) - 2 * logLikelihood,
    lrStatistic,
    lrDf,
    lrPValue: chiSquareSf(lrStatistic, lrDf),
    nObs,
    penalized,
    warnings,
  };
  return { inference, model: { type: covType, names: [...labels], matrix: covModel } };
}

/** The index of a class given as a label (a number matches the string that prints alike: CLI input is text). */
export function findClass(classes: readonly Label[], label: Label): number {
  const exact = classes.indexOf(label);
  if (exact >= 0) return exact;
  return classes.findIndex((c) => String(c) === String(label));
}

export type { CovType, WeightsAre } from './inference/options.js';
export type { MarginalEffects } from './inference/margeff.js';
export type { WaldTest } from './inference/wald.js';
