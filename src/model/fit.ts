import { describe, rowCount } from '../backend/dense.js';
import { toTable } from '../data/records.js';
import { parseFormula } from '../design/formula.js';
import { type Label, sortedUniqueLabels } from '../util/labels.js';
import { type DataLike, isMatrixInput } from './inputs.js';
import type { FitOptions } from './linearClassifier.js';
import { LogisticRegression } from './logisticRegression.js';
import type { ModelOptions } from './options.js';
import { parseModelJSON } from './serialize.js';
import { SoftmaxRegression } from './softmaxRegression.js';
import { checkY } from './validate.js';

/** Either fitted model. */
export type Classifier = LogisticRegression | SoftmaxRegression;

/** Options of `fit`: the model options, the model kind, and the per-call fit options. */
export interface FitFunctionOptions extends ModelOptions, FitOptions {
  /** 'auto' (default): binary for two classes, softmax for more. */
  model?: 'auto' | 'binary' | 'softmax';
}

const FIT_KEYS = ['sampleWeight', 'featureNames', 'target', 'formula', 'features', 'exclude', 'weightColumn', 'missing'] as const;

/**
 * Fits a classifier in one call, on a matrix and labels or on a table:
 *
 *     fit(X, y, { C: 1, standardize: true })
 *     fit(records, { formula: 'low ~ age + race * smoke', penalty: 'none' })
 *     fit(table, { target: 'case', exclude: ['id'], missing: 'drop' })
 *
 * With model 'auto' it is a `LogisticRegression` when the labels have two classes and a
 * `SoftmaxRegression` otherwise.
 */
export function fit(X: DataLike, y?: ArrayLike<Label> | FitFunctionOptions | null, options?: FitFunctionOptions): Classifier {
  const { classifier, data, labels, fitOptions } = classifierFor(X, y, options);
  return classifier.fit(data, labels, fitOptions);
}

/**
 * What `fit` does before fitting, for the functions that fit several times (paths,
 * cross-validation): the arguments sorted out (a table converted once), the model options checked,
 * and an unfitted classifier of the kind the labels call for. `extra` names options of the caller
 * that are neither model nor fit options (they are left out of both).
 */
export function classifierFor(
  X: DataLike, y: ArrayLike<Label> | FitFunctionOptions | null | undefined, options: FitFunctionOptions | undefined, extra: readonly string[] = [],
): { classifier: Classifier; data: DataLike; labels: ArrayLike<Label> | null; fitOptions: FitOptions; modelOptions: ModelOptions; kind: 'binary' | 'softmax' } {
  let labels: ArrayLike<Label> | null = null;
  let opts: FitFunctionOptions;
  if (!isMatrixInput(X) && y !== null && y !== undefined && typeof y === 'object' && !('length' in y) && options === undefined) {
    opts = y as FitFunctionOptions;
  } else {
    labels = (y ?? null) as ArrayLike<Label> | null;
    opts = options === undefined ? {} : options;
  }
  if (opts === null || typeof opts !== 'object') throw new TypeError(`options must be an object, got ${describe(opts)}`);
  const { model = 'auto', ...rest } = opts;
  const fitOptions: FitOptions = {};
  const modelOptions: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) {
    if (extra.includes(key)) continue;
    if ((FIT_KEYS as readonly string[]).includes(key)) (fitOptions as Record<string, unknown>)[key] = value;
    else modelOptions[key] = value;
  }
  if (model !== 'auto' && model !== 'binary' && model !== 'softmax') {
    throw new RangeError(`model must be 'auto', 'binary' or 'softmax', got ${describe(model)}`);
  }
  // A table is converted once, here.
  const data = isMatrixInput(X) || labels !== null ? X : toTable(X, 'the table passed to fit');
  let kind = model;
  if (kind === 'auto') kind = classCount(data, labels, fitOptions) > 2 ? 'softmax' : 'binary';
  const classifier = kind === 'binary' ? new LogisticRegression(modelOptions as ModelOptions) : new SoftmaxRegression(modelOptions as ModelOptions);
  return { classifier, data, labels, fitOptions, modelOptions: modelOptions as ModelOptions, kind };
}

/**
 * Classes of the labels, to choose the model: of y for a matrix (checked, so that a bad y gets the
 * same message as in fit itself), of the target column for a table (its distinct values).
 */
function classCount(X: DataLike, y: ArrayLike<Label> | null, o: FitOptions): number {
  if (isMatrixInput(X) || y !== null) return sortedUniqueLabels(checkY(y as ArrayLike<Label>, isMatrixInput(X) ? rowCount(X) : (y?.length ?? 0))).length;
  const target = o.formula ? (parseFormula(o.formula).response ?? o.target) : o.target;
  if (typeof target !== 'string') return 2; // fit itself says what is missing
  const col = toTable(X, 'the table passed to fit').columns.find((c) => c.name === target); // a Table already: no copy
  if (col === undefined) return 2;
  if (col.kind === 'categorical') return new Set(Array.from(col.codes).filter((c) => c >= 0)).size;
  return new Set(Array.from(col.values).filter((v) => !Number.isNaN(v))).size;
}

/** `model.predict(X)`, as a function. */
export function predict(model: Classifier, X: DataLike): Label[] {
  return model.predict(X);
}

/** Restores either kind of model from its JSON form (object or string). */
export function loadModel(json: unknown): Classifier {
  const { state } = parseModelJSON(json);
  return state.kind === 'binary' ? LogisticRegression.fromJSON(json) : SoftmaxRegression.fromJSON(json);
}
