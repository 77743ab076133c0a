import type { DataLike } from '../model/inputs.js';
import { type Classifier, type FitFunctionOptions, classifierFor } from '../model/fit.js';
import type { PathStep } from '../model/path.js';
import type { Label } from '../util/labels.js';

/** Options of `regularizationPath`: those of `fit`, and the grid. */
export interface PathOptions extends FitFunctionOptions {
  /**
   * How many C values (default 100): with an L1 part, from C₀ = 1/(λ_max·S) (the largest C whose
   * model is all zeros, glmnet's lambda.max) up to 1e4·C₀; with the L2 penalty from 1e-4 to 1e4.
   */
  Cs?: number;
  /** Or the C values themselves (any order; fitted from the smallest up). */
  CGrid?: readonly number[];
  /** The smallest λ of the default grid as a fraction of λ_max (default 1e-4). */
  minRatio?: number;
}

/** One step of a path, in plain arrays. */
export interface PathPoint {
  C: number;
  /** λ = 1/(C·S), glmnet's, S the total weight of the rows. */
  lambda: number;
  objective: number;
  nonzero: number;
  /** K × p coefficients (K = 1 for binary), in `featureNames` order. */
  coef: number[][];
  intercept: number[];
  iterations: number;
  converged: boolean;
}

/** A regularization path. */
export interface RegularizationPath {
  /** In increasing C (decreasing λ): the order they were fitted in, each from the previous optimum. */
  steps: PathPoint[];
  featureNames: string[];
  classes: Label[];
  /** λ_max and C₀ = 1/(λ_max·S) with an L1 part (null for L2). */
  lambdaMax: number | null;
  CZero: number | null;
  /** S: the total weight of the rows fitted (the row count without weights). */
  weightSum: number;
  /** Passes over the data (values and gradients) and Hessians formed, over the whole path. */
  passes: number;
  hessians: number;
  seconds: number;
  /** The model at the last step (largest C). */
  model: Classifier;
}

const PATH_KEYS = ['Cs', 'CGrid', 'minRatio'];

/**
 * The coefficients along a grid of C, warm-started from one C to the next (glmnet's path):
 *
 *     regularizationPath(table, { target: 'y', penalty: 'l1', standardize: true })
 *     regularizationPath(X, y, { penalty: 'elasticnet', l1Ratio: 0.5, CGrid: [0.01, 0.1, 1] })
 *
 * Each step is the exact optimum of J at its C (to the fit's tolerance), the same as a separate
 * `fit` at that C would give.
 */
export function regularizationPath(X: DataLike, y?: ArrayLike<Label> | PathOptions | null, options?: PathOptions): RegularizationPath {
  const t0 = performance.now();
  const opts = (options ?? (y !== null && y !== undefined && !('length' in (y as object)) ? y : {})) as PathOptions;
  const { classifier, data, labels, fitOptions } = classifierFor(X, y as ArrayLike<Label> | FitFunctionOptions | null | undefined, options, PATH_KEYS);
  const grid = {
    ...(opts.CGrid === undefined ? {} : { Cs: opts.CGrid }),
    ...(opts.Cs === undefined ? {} : { count: opts.Cs }),
    ...(opts.minRatio === undefined ? {} : { minRatio: opts.minRatio }),
  };
  const fit = classifier.fitPath(data, labels, fitOptions, grid);
  const K = classifier.intercept.length;
  const p = classifier.nFeatures;
  return {
    steps: fit.steps.map((s) => plainStep(s, K, p)),
    featureNames: classifier.featureNames ?? Array.from({ length: p }, (_, j) => `x${j}`),
    classes: classifier.classes,
    lambdaMax: fit.lambdaMax,
    CZero: fit.lambdaMax === null ? null : 1 / (fit.lambdaMax * fit.weightSum),
    weightSum: fit.weightSum,
    passes: fit.passes,
    hessians: fit.hessians,
    seconds: (performance.now() - t0) / 1000,
    model: classifier,
  };
}

/** A step's typed arrays as plain arrays. */
export function plainStep(s: PathStep, K: number, p: number): PathPoint {
  return {
    C: s.C, lambda: s.lambda, objective: s.objective, nonzero: s.nonzero,
    coef: Array.from({ length: K }, (_, k) => Array.from(s.coef.subarray(k * p, (k + 1) * p))),
    intercept: Array.from(s.intercept), iterations: s.iterations, converged: s.converged,
  };
}
