import { Arena } from '../backend/arena.js';
import { type DenseMatrix, dense as denseMatrix, isDense } from '../backend/dense.js';
import type { Table } from '../data/table.js';
import { type BaseFrame, type DesignSpec, buildDesign } from '../design/modelFrame.js';
import { rocAuc, rocAucOvr } from '../metrics/roc.js';
import type { Classifier } from '../model/fit.js';
import type { DataLike } from '../model/inputs.js';
import { type FitOptions, tableSpec } from '../model/linearClassifier.js';
import { LogisticRegression } from '../model/logisticRegression.js';
import type { ModelOptions } from '../model/options.js';
import type { PathFit, PathStep } from '../model/path.js';
import { SoftmaxRegression } from '../model/softmaxRegression.js';
import type { Label } from '../util/labels.js';

/**
 * One fold of a cross-validation: the path on the other folds' rows at given λ values, each step
 * scored on the fold's rows. crossValidate (cv.ts) runs folds on its own thread and, through
 * foldPool.ts, on worker threads (foldWorker.ts); both call fitFold with the same setup, so a
 * fold's scores are the same bits wherever it runs (every pass sums in an order fixed by the rows).
 */

/** How held-out rows are scored. */
export type Scoring = 'log_loss' | 'accuracy' | 'roc_auc';
export const SCORINGS: readonly Scoring[] = ['log_loss', 'accuracy', 'roc_auc'];

/** The tolerance of the paths whose fits are only scored (see crossValidate). */
export const FOLD_TOL = 1e-6;

/** What every fold of one cross-validation shares: plain data, which a worker thread can be sent. */
export interface FoldSetup {
  /** A table, or a dense matrix (with `labels`; crossValidate converts other matrices once). */
  data: Table | DenseMatrix;
  labels: ArrayLike<Label> | null;
  fitOptions: FitOptions;
  /** The model options as given (the mixing value and the folds' tolerance are set per path). */
  modelOptions: ModelOptions;
  kind: 'binary' | 'softmax';
  /** Each row's fold (−1: none). */
  foldIds: Int32Array;
  scoring: Scoring;
}

/** A fold's scores, one per λ of its path, and its held-out weight (cv.glmnet weights folds by it). */
export interface FoldResult {
  scores: number[];
  weight: number;
}

/** Where a fold's path starts and the λ values it is fitted at (those of the path on all rows). */
export interface FoldPath {
  /** The elastic-net mixing value. */
  l1Ratio: number;
  lambdas: readonly number[];
  start: Pick<PathStep, 'coef' | 'intercept'>;
}

/**
 * An unfitted classifier of the setup's kind at mixing value a; `forScores`: a path only scored,
 * stopped at FOLD_TOL unless the options give a tolerance.
 */
export function classifierAt(setup: FoldSetup, a: number, forScores: boolean): Classifier {
  const mo = setup.modelOptions;
  const options: ModelOptions = {
    ...mo, ...(mo.penalty === 'elasticnet' ? { l1Ratio: a } : {}), ...(forScores && mo.tol === undefined ? { tol: FOLD_TOL } : {}),
  };
  return setup.kind === 'binary' ? new LogisticRegression(options) : new SoftmaxRegression(options);
}

/**
 * The frame of every row of a table, as the fits on every row see it (the matrix itself, unless
 * they standardize it in place) and as the folds do (copies into one arena: a fold's frames are
 * done with when the next fold starts).
 */
export interface TableFrames {
  spec: DesignSpec;
  forAll: BaseFrame;
  forFolds: BaseFrame;
}

/** The design of every row of a table and its frame: what a fold worker is sent (its matrix in shared kernel memory). */
export type BaseDesign = Pick<BaseFrame, 'design' | 'frame'>;

/** The frames of a setup's table (null for a matrix), its design built here or `given` (a fold worker's). */
export function tableFrames(setup: FoldSetup, given: BaseDesign | null = null): TableFrames | null {
  if (isDense(setup.data)) return null;
  const table = setup.data as Table;
  const resolved = classifierAt(setup, 0, true).options;
  const spec = tableSpec(setup.fitOptions, resolved.fitIntercept);
  const frame: BaseFrame = { table, ...(given ?? buildDesign(table, spec)) };
  const arena = new Arena();
  return { spec, forAll: { ...frame, share: !resolved.standardize }, forFolds: { ...frame, scratch: { arena, start: arena.mark() } } };
}

/**
 * Fold f: the path on the rows of the other folds at `path.lambdas` from `path.start`, and the
 * score of every step on fold f's rows. A table's design is learnt on the training rows and the
 * held-out rows are read through it, without copying the table.
 */
export function fitFold(setup: FoldSetup, frames: TableFrames | null, path: FoldPath, f: number): FoldResult {
  const train = rowsWhere(setup.foldIds, (g) => g >= 0 && g !== f);
  const test = rowsWhere(setup.foldIds, (g) => g === f);
  const clf = classifierAt(setup, path.l1Ratio, true);
  const grid = { lambdas: path.lambdas, start: path.start };
  const { fitOptions, labels } = setup;
  let fit: PathFit;
  let scored: ReturnType<Classifier['pathProbabilities']>;
  if (frames !== null) {
    const table = setup.data as Table;
    fit = clf.fitPathTable(table, frames.spec, train, grid, frames.forFolds);
    scored = clf.pathProbabilities(table, null, fit.steps, { rows: test, base: frames.forFolds, ...(fitOptions.weightColumn ? { weightColumn: fitOptions.weightColumn } : {}) });
  } else {
    const data = setup.data as DenseMatrix;
    const part = subset(data, labels, fitOptions, train);
    fit = clf.fitPath(part.data, part.labels, part.fitOptions, grid);
    const held = subset(data, labels, fitOptions, test);
    scored = clf.pathProbabilities(held.data, held.labels, fit.steps, held.fitOptions.sampleWeight ? { sampleWeight: held.fitOptions.sampleWeight } : {});
  }
  const w = scored.weights;
  return {
    scores: fit.steps.map((_, t) => score(setup.scoring, scored.probabilities[t]!, scored.yIdx, w, clf.classes)),
    weight: w === null ? scored.yIdx.length : w.reduce((s, v) => s + v, 0),
  };
}

/** A held-out score of probabilities P (n × classes) for class indices y, weighted by w. */
export function score(scoring: Scoring, P: Float64Array, y: Int32Array, w: Float64Array | null, classes: readonly Label[]): number {
  const n = y.length;
  const K = classes.length;
  if (scoring === 'roc_auc') {
    if (K === 2) return rocAuc(y, Float64Array.from({ length: n }, (_, i) => P[i * 2 + 1]!), w);
    const labels = Array.from(y, (k) => classes[k]!);
    return rocAucOvr(labels, P, classes, w).macro;
  }
  let total = 0;
  let W = 0;
  for (let i = 0; i < n; i++) {
    const wi = w === null ? 1 : w[i]!;
    W += wi;
    if (scoring === 'log_loss') {
      total += wi * -Math.log(Math.min(Math.max(P[i * K + y[i]!]!, 1e-15), 1 - 1e-15));
    } else {
      let best = 0;
      for (let k = 1; k < K; k++) if (P[i * K + k]! > P[i * K + best]!) best = k;
      if (best === y[i]) total += wi;
    }
  }
  return total / W;
}

function rowsWhere(folds: Int32Array, keep: (f: number) => boolean): Uint32Array {
  const out: number[] = [];
  for (let i = 0; i < folds.length; i++) if (keep(folds[i]!)) out.push(i);
  return Uint32Array.from(out);
}

/** Rows of a matrix with their labels and sample weights (tables are not copied: see fitFold). */
function subset(X: DenseMatrix, labels: ArrayLike<Label> | null, o: FitOptions, rows: Uint32Array): { data: DataLike; labels: ArrayLike<Label> | null; fitOptions: FitOptions } {
  const p = X.cols;
  const out = new Float64Array(rows.length * p);
  rows.forEach((i, t) => out.set(X.data.subarray(i * p, (i + 1) * p), t * p));
  const sw = o.sampleWeight;
  return {
    data: denseMatrix(out, rows.length, p),
    labels: Array.from(rows, (i) => labels![i]!),
    fitOptions: { ...o, ...(sw === undefined || sw === null ? {} : { sampleWeight: Array.from(rows, (i) => sw[i]!) }) },
  };
}
