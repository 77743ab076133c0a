import type { MlMatrixLike as Matrix } from '../backend/dense.js';
import { type Label, sortedUniqueLabels } from '../util/labels.js';
import { describe } from './validate.js';

/** Whether x is an ml-matrix `Matrix`, by ml-matrix's own test (its `klass` tag), without loading ml-matrix. */
function isMlMatrix(x: unknown): x is Matrix {
  return typeof x === 'object' && x !== null && (x as { klass?: unknown }).klass === 'Matrix';
}

/**
 * The log-likelihood loss on probabilities, with scikit-learn 1.2's `log_loss` conventions.
 * (The log-loss of a fitted model on data is computed from its logits by src/loss/, which needs no
 * clipping; these functions are for probabilities that come from elsewhere.)
 */

/** Default clipping: probabilities are clipped to [eps, 1 − eps] (scikit-learn 1.2's default 1e-15). */
export const DEFAULT_EPS = 1e-15;
/** A row of probabilities must sum to 1 within this tolerance (scikit-learn renormalizes silently; we refuse). */
export const ROW_SUM_TOLERANCE = 1e-6;

export interface LogLossOptions {
  /** Clip probabilities to [eps, 1 − eps] before the log (default 1e-15). */
  eps?: number;
  /** Per-row weights wᵢ ≥ 0: the loss is Σwᵢℓᵢ / Σwᵢ (or Σwᵢℓᵢ with normalize false). */
  sampleWeight?: ArrayLike<number> | null;
  /** true (default): the (weighted) mean; false: the (weighted) sum. */
  normalize?: boolean;
}

function weightsOf(w: ArrayLike<number> | null | undefined, n: number): ArrayLike<number> | null {
  if (w === null || w === undefined) return null;
  if (w.length !== n) throw new RangeError(`sampleWeight has ${w.length} entries but yTrue has ${n}`);
  for (let i = 0; i < n; i++) {
    const v = w[i]!;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new RangeError(`sampleWeight[${i}] must be a finite number ≥ 0, got ${describe(v)}`);
  }
  return w;
}

function checkEps(eps: number): number {
  if (typeof eps !== 'number' || !(eps >= 0 && eps < 0.5)) throw new RangeError(`eps must be a number in [0, 0.5), got ${describe(eps)}`);
  return eps;
}

function checkProb(v: unknown, where: string): number {
  if (typeof v !== 'number' || Number.isNaN(v)) throw new RangeError(`${where} must be a probability, got ${describe(v)}`);
  if (v < 0 || v > 1) throw new RangeError(`${where} is ${v}, outside [0, 1]`);
  return v;
}

/** Σ wᵢℓᵢ / Σ wᵢ, or the sum; accumulated left to right as numpy does for short arrays. */
function reduce(losses: Float64Array, w: ArrayLike<number> | null, normalize: boolean): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < losses.length; i++) {
    const wi = w === null ? 1 : w[i]!;
    num += wi * losses[i]!;
    den += wi;
  }
  return normalize ? num / den : num;
}

/**
 * Binary log loss: −(1/n)·Σᵢ [yᵢ·log pᵢ + (1 − yᵢ)·log(1 − pᵢ)], pᵢ = P(yᵢ = 1) clipped to
 * [eps, 1 − eps]. yTrue: n values in {0, 1}; yPred: n probabilities.
 * y = [1,0,1,1,0], p = [0.9,0.1,0.8,0.7,0.3] gives 0.22944289410146546.
 */
export function binaryLogLoss(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options: LogLossOptions = {}): number {
  const n = yTrue.length;
  if (yPred.length !== n) throw new RangeError(`yPred has ${yPred.length} probabilities but yTrue has ${n} labels`);
  if (n === 0) throw new RangeError('yTrue is empty');
  const eps = checkEps(options.eps ?? DEFAULT_EPS);
  const w = weightsOf(options.sampleWeight, n);
  const losses = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const y = yTrue[i];
    if (y !== 0 && y !== 1) throw new RangeError(`yTrue[${i}] must be 0 or 1, got ${describe(y)}`);
    const p = Math.min(Math.max(checkProb(yPred[i], `yPred[${i}]`), eps), 1 - eps);
    losses[i] = -(y === 1 ? Math.log(p) : Math.log(1 - p));
  }
  return reduce(losses, w, options.normalize ?? true);
}

/** Options of `logLoss`: `labels` lists the classes when yTrue lacks some of them. */
export interface MulticlassLogLossOptions extends LogLossOptions {
  labels?: readonly Label[] | null;
}

/**
 * Multiclass log loss (cross-entropy): −(1/n)·Σᵢ log P̂(yᵢ | row i), probabilities clipped to
 * [eps, 1 − eps]. Classes are `labels` or, by default, the sorted distinct labels of yTrue; yPred is
 * n×K with columns in that class order (number[][] or ml-matrix Matrix), or a 1-D array of
 * P(second class) for a binary problem. A row that does not sum to 1 (±1e-6) is a RangeError naming it
 * (scikit-learn renormalizes any row silently); within that tolerance the clipped row is renormalized.
 * Labels [0,2,1,2] with rows [.9,.05,.05], [.1,.1,.8], [.2,.7,.1], [.05,.1,.85] give 0.2119244851021358.
 */
export function logLoss(
  yTrue: ArrayLike<Label>, yPred: ReadonlyArray<ArrayLike<number>> | ArrayLike<number> | Matrix, options: MulticlassLogLossOptions = {},
): number {
  const n = yTrue.length;
  if (n === 0) throw new RangeError('yTrue is empty');
  const eps = checkEps(options.eps ?? DEFAULT_EPS);
  const w = weightsOf(options.sampleWeight, n);
  const classes = options.labels ? [...options.labels] : sortedUniqueLabels(yTrue);
  if (new Set(classes).size !== classes.length) throw new RangeError('labels has a repeated class');
  if (classes.length < 2) {
    throw new RangeError(`yTrue has a single class (${JSON.stringify(classes[0])}); give labels to name the other classes`);
  }
  const index = new Map(classes.map((c, k) => [c, k]));
  const K = classes.length;
  const rows: ArrayLike<number>[] = [];
  if (isMlMatrix(yPred)) {
    const m = yPred;
    for (let i = 0; i < m.rows; i++) rows.push(m.getRow(i));
  } else if (yPred.length > 0 && typeof (yPred as ArrayLike<unknown>)[0] === 'number') {
    if (K !== 2) throw new RangeError(`a 1-D yPred gives P(second class) of a binary problem, but there are ${K} classes`);
    const p1 = yPred as ArrayLike<number>;
    for (let i = 0; i < p1.length; i++) {
      const p = checkProb(p1[i], `yPred[${i}]`);
      rows.push([1 - p, p]);
    }
  } else {
    for (let i = 0; i < yPred.length; i++) rows.push((yPred as ReadonlyArray<ArrayLike<number>>)[i]!);
  }
  if (rows.length !== n) throw new RangeError(`yPred has ${rows.length} rows but yTrue has ${n} labels`);
  const losses = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const row = rows[i]!;
    if (row.length !== K) throw new RangeError(`yPred has ${row.length} columns but there are ${K} classes`);
    let sum = 0;
    for (let k = 0; k < K; k++) sum += checkProb(row[k], `yPred[${i}][${k}]`);
    if (Math.abs(sum - 1) > ROW_SUM_TOLERANCE) throw new RangeError(`yPred row ${i} sums to ${sum}, not 1`);
    const k = index.get(yTrue[i]!);
    if (k === undefined) throw new RangeError(`yTrue[${i}] is ${JSON.stringify(yTrue[i])}, which is not among the labels`);
    // Clip every entry, then renormalize the row by its clipped sum, as scikit-learn does: this is
    // what makes a row like [.05, .1, .85] (which sums to 1 + 2⁻⁵² in floating point) agree bit for bit.
    let clippedSum = 0;
    for (let c = 0; c < K; c++) clippedSum += Math.min(Math.max(row[c]!, eps), 1 - eps);
    losses[i] = -Math.log(Math.min(Math.max(row[k]!, eps), 1 - eps) / clippedSum);
  }
  return reduce(losses, w, options.normalize ?? true);
}
