import { describe } from '../../backend/dense.js';
import { isTable } from '../../data/records.js';
import type { Label } from '../../util/labels.js';

/**
 * The options of `model.summary(options)` (and of `logreg train --summary`), checked once at the
 * API edge. Every estimate follows statsmodels' Logit / MNLogit (and R's sandwich for HC2/HC3):
 * see test/fixtures/inference/README.md for the definitions these options select.
 */

/**
 * Covariance of the estimates θ̂ (H = Σᵢ wᵢ·∇²ℓᵢ the observed information, gᵢ the score of row i):
 * - `nonrobust`: H⁻¹.
 * - `hc0`: H⁻¹(Σᵢ gᵢgᵢᵀ)H⁻¹ (White's sandwich); `hc1`: n/(n − k)·hc0.
 * - `hc2`, `hc3` (binary only): meat Σᵢ gᵢgᵢᵀ/(1 − hᵢ)^a, a = 1, 2, hᵢ the leverage (R sandwich's vcovHC).
 * - `cluster`: G/(G − 1)·(n − 1)/(n − k)·H⁻¹(Σ_g u_g u_gᵀ)H⁻¹, u_g = Σ_{i∈g} gᵢ (statsmodels' default correction).
 */
export type CovType = 'nonrobust' | 'hc0' | 'hc1' | 'hc2' | 'hc3' | 'cluster';
export const COV_TYPES: readonly CovType[] = ['nonrobust', 'hc0', 'hc1', 'hc2', 'hc3', 'cluster'];

/** Where marginal effects are evaluated: averaged over the rows, or once at the column means, medians, or zeros. */
export type MargeffAt = 'overall' | 'mean' | 'median' | 'zero';
export const MARGEFF_AT: readonly MargeffAt[] = ['overall', 'mean', 'median', 'zero'];

/** dy/dx, or an elasticity: ey/ex = (dy/dx)·x/y, dy/ex = (dy/dx)·x, ey/dx = (dy/dx)/y. */
export type MargeffMethod = 'dydx' | 'eyex' | 'dyex' | 'eydx';
export const MARGEFF_METHODS: readonly MargeffMethod[] = ['dydx', 'eyex', 'dyex', 'eydx'];

/** Marginal effects as statsmodels' `get_margeff(at, method, dummy)`. */
export interface MargeffOptions {
  at: MargeffAt;
  /** Default 'dydx'. */
  method?: MargeffMethod;
  /**
   * Columns whose values are all exactly 0 or 1 get the discrete change p(xⱼ = 1) − p(xⱼ = 0)
   * (ey/dx: the change of log p) instead of the derivative (statsmodels `dummy=True`; only with at
   * 'overall' or 'mean' and method dydx or eydx). Default false.
   */
  dummy?: boolean;
}

/** What the frequency or analytic reading of the fit's weights means for inference. */
export type WeightsAre = 'frequency' | 'analytic';

/** Options of `summary`; all optional. */
export interface SummaryOptions {
  /** Covariance type (default 'nonrobust'; 'hc0' for analytic weights). */
  covType?: CovType;
  /**
   * Cluster ids for covType 'cluster': one per row of the data the model was fitted on (numbers or
   * strings; for a table, one per table row, dropped rows included), or, for a table fit, the name
   * of a column of that table.
   */
  groups?: ArrayLike<Label> | string | null;
  /** Confidence level of every interval, 0 < level < 1 (default 0.95). */
  confLevel?: number;
  /** Odds ratios exp(θ) with intervals (binary); relative-risk ratios (softmax). Default false. */
  oddsRatios?: boolean;
  /** Marginal effects: where ('overall' | 'mean' | 'median' | 'zero', method dydx), or the full options. */
  margeff?: MargeffAt | MargeffOptions | null;
  /**
   * Wald tests of linear hypotheses on the named coefficients: 'x1 = x2', 'x3 = 0, x4 = 0' (joint),
   * '2*x1 - x2 = 1'. One test per string.
   */
  tests?: readonly string[] | string | null;
  /** Softmax: the class the others are compared with (default: the first class, as MNLogit). */
  referenceClass?: Label | null;
  /**
   * With `standardize`: 'original' (default) reports coefficients for the original columns
   * (back-transformed with the exact Jacobian, intercept included); 'standardized' the fitted
   * z-score scale.
   */
  scale?: 'original' | 'standardized';
  /**
   * How the fit's weights are read: 'frequency' (default; a row of weight w counts as w rows) or
   * 'analytic' (probability / precision weights: the weighted MLE with a sandwich covariance, so
   * 'nonrobust' is refused; n is the number of rows).
   */
  weightsAre?: WeightsAre;
}

/** SummaryOptions checked, defaults filled in (covType stays null until the weights are known). */
export interface ResolvedSummaryOptions {
  covType: CovType | null;
  groups: ArrayLike<Label> | string | null;
  confLevel: number;
  oddsRatios: boolean;
  margeff: Required<MargeffOptions> | null;
  tests: string[];
  referenceClass: Label | null;
  scale: 'original' | 'standardized' | null;
  weightsAre: WeightsAre;
}

export const SUMMARY_KEYS: readonly string[] = [
  'covType', 'groups', 'confLevel', 'oddsRatios', 'margeff', 'tests', 'referenceClass', 'scale', 'weightsAre',
];

function choice<T extends string>(name: string, v: unknown, choices: readonly T[]): T {
  if (typeof v !== 'string' || !(choices as readonly string[]).includes(v)) {
    throw new RangeError(`${name} must be one of ${choices.join(', ')}, got ${describe(v)}`);
  }
  return v as T;
}

/**
 * Whether `v` is summary options rather than a table: a plain object, not a Table (readCsv's), that
 * is empty, has only summary options as keys, or has a value that is not an array (an object of
 * columns has only arrays).
 */
export function isSummaryOptions(v: unknown): v is SummaryOptions {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || Object.getPrototypeOf(v) !== Object.prototype) return false;
  if (isTable(v)) return false;
  const entries = Object.entries(v);
  if (entries.every(([k]) => SUMMARY_KEYS.includes(k) || k === 'sampleWeight')) return true;
  return entries.some(([, value]) => typeof value !== 'object' || value === null || typeof (value as { length?: unknown }).length !== 'number');
}

/** Checks summary options (unknown keys, values) and fills in the defaults. */
export function resolveSummaryOptions(options: SummaryOptions | undefined | null, extraKeys: readonly string[] = []): ResolvedSummaryOptions {
  const o = options ?? {};
  if (typeof o !== 'object') throw new TypeError(`the summary options must be an object, got ${describe(o)}`);
  for (const key of Object.keys(o)) {
    if (!SUMMARY_KEYS.includes(key) && !extraKeys.includes(key)) {
      throw new TypeError(`unknown summary option "${key}"; known options are ${SUMMARY_KEYS.join(', ')}`);
    }
  }
  const covType = o.covType === undefined || o.covType === null ? null : choice('covType', o.covType, COV_TYPES);
  let confLevel = 0.95;
  if (o.confLevel !== undefined && o.confLevel !== null) {
    if (typeof o.confLevel !== 'number' || !(o.confLevel > 0 && o.confLevel < 1)) {
      throw new RangeError(`confLevel must be a number between 0 and 1 (exclusive), got ${describe(o.confLevel)}`);
    }
    confLevel = o.confLevel;
  }
  const oddsRatios = o.oddsRatios ?? false;
  if (typeof oddsRatios !== 'boolean') throw new TypeError(`oddsRatios must be true or false, got ${describe(oddsRatios)}`);
  let margeff: Required<MargeffOptions> | null = null;
  if (o.margeff !== undefined && o.margeff !== null) {
    const m: MargeffOptions = typeof o.margeff === 'string' ? { at: o.margeff } : o.margeff;
    if (typeof m !== 'object') throw new TypeError(`margeff must be one of ${MARGEFF_AT.join(', ')} or { at, method, dummy }, got ${describe(o.margeff)}`);
    for (const key of Object.keys(m)) {
      if (!['at', 'method', 'dummy'].includes(key)) throw new TypeError(`unknown margeff option "${key}"; known options are at, method, dummy`);
    }
    const at = choice('margeff.at', m.at, MARGEFF_AT);
    const method = m.method === undefined ? 'dydx' : choice('margeff.method', m.method, MARGEFF_METHODS);
    const dummy = m.dummy ?? false;
    if (typeof dummy !== 'boolean') throw new TypeError(`margeff.dummy must be true or false, got ${describe(dummy)}`);
    if (dummy && (method === 'eyex' || method === 'dyex')) {
      throw new RangeError(`margeff.dummy takes method dydx or eydx (a discrete change has no elasticity in x), not ${method}`);
    }
    if (dummy && (at === 'median' || at === 'zero')) {
      throw new RangeError(`margeff.dummy takes at 'overall' or 'mean' (as statsmodels), not '${at}'`);
    }
    margeff = { at, method, dummy };
  }
  let tests: string[] = [];
  if (o.tests !== undefined && o.tests !== null) {
    const list = typeof o.tests === 'string' ? [o.tests] : o.tests;
    if (!Array.isArray(list)) throw new TypeError(`tests must be a string or an array of strings, got ${describe(o.tests)}`);
    tests = list.map((t, i) => {
      if (typeof t !== 'string') throw new TypeError(`tests[${i}] must be a string such as 'x1 = x2', got ${describe(t)}`);
      return t;
    });
  }
  const referenceClass = o.referenceClass ?? null;
  if (referenceClass !== null && typeof referenceClass !== 'string' && typeof referenceClass !== 'number') {
    throw new TypeError(`referenceClass must be a class label (a number or a string), got ${describe(referenceClass)}`);
  }
  const scale = o.scale === undefined || o.scale === null ? null : choice('scale', o.scale, ['original', 'standardized'] as const);
  const weightsAre = o.weightsAre === undefined || o.weightsAre === null ? 'frequency' : choice('weightsAre', o.weightsAre, ['frequency', 'analytic'] as const);
  if (covType === 'nonrobust' && weightsAre === 'analytic') {
    throw new RangeError("analytic weights need a sandwich covariance: covType 'nonrobust' assumes frequency weights; use hc0 (the default for analytic weights), hc1, hc2, hc3 or cluster");
  }
  const groups = o.groups ?? null;
  if (groups !== null && typeof groups !== 'string' && (typeof groups !== 'object' || typeof (groups as ArrayLike<Label>).length !== 'number')) {
    throw new TypeError(`groups must be an array of cluster ids or a column name, got ${describe(groups)}`);
  }
  if (covType === 'cluster' && groups === null) throw new TypeError("covType 'cluster' needs groups: one cluster id per row, or a column name");
  if (groups !== null && covType !== 'cluster') throw new TypeError(`groups apply to covType 'cluster', not '${covType ?? 'nonrobust'}'`);
  return { covType, groups, confLevel, oddsRatios, margeff, tests, referenceClass, scale, weightsAre };
}
