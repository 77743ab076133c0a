import type { MatrixLike } from '../backend/dense.js';
import { describe, rowCount } from '../backend/dense.js';
import { type Label, sortedUniqueLabels } from '../util/labels.js';
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

/**
 * Fits a classifier in one call: `fit(X, y, { C: 1, standardize: true })`. With model 'auto' it is a
 * `LogisticRegression` when y has two classes and a `SoftmaxRegression` otherwise.
 */
export function fit(X: MatrixLike, y: ArrayLike<Label>, options: FitFunctionOptions = {}): Classifier {
  const { model = 'auto', sampleWeight, featureNames, ...modelOptions } = options;
  if (model !== 'auto' && model !== 'binary' && model !== 'softmax') {
    throw new RangeError(`model must be 'auto', 'binary' or 'softmax', got ${describe(model)}`);
  }
  let kind = model;
  if (kind === 'auto') {
    // Classes are counted on checked labels so that a bad y gets the same message as in fit itself;
    // X is checked (and copied) once, by the model's fit.
    kind = sortedUniqueLabels(checkY(y, rowCount(X))).length > 2 ? 'softmax' : 'binary';
  }
  const clf = kind === 'binary' ? new LogisticRegression(modelOptions) : new SoftmaxRegression(modelOptions);
  return clf.fit(X, y, { sampleWeight: sampleWeight ?? null, featureNames: featureNames ?? null });
}

/** `model.predict(X)`, as a function. */
export function predict(model: Classifier, X: MatrixLike): Label[] {
  return model.predict(X);
}

/** Restores either kind of model from its JSON form (object or string). */
export function loadModel(json: unknown): Classifier {
  const { state } = parseModelJSON(json);
  return state.kind === 'binary' ? LogisticRegression.fromJSON(json) : SoftmaxRegression.fromJSON(json);
}
