import { confusionMatrix, scoresFromConfusion, type ClassScores } from '../metrics/classification.js';
import type { Label } from '../util/labels.js';
import type { DataLike } from './inputs.js';
import { type LinearClassifier, type Scored, mostProbable } from './linearClassifier.js';

/** The metrics of a fitted model on labelled data, as `logreg train` and `logreg evaluate` report them. */
export interface Evaluation {
  n: number;
  /** Mean negative log-likelihood, from the logits through src/loss/ (unweighted). */
  logLoss: number;
  accuracy: number;
  perClass: ClassScores[];
  macro: Omit<ClassScores, 'label'>;
  confusion: { labels: Label[]; matrix: number[][] };
  /** The true labels of the rows evaluated. */
  labels: Label[];
  /** Predicted classes and probabilities (n×classes), for plots and further metrics. */
  predictions: Label[];
  /** The rows of `probabilityMatrix` as arrays (made when first read). */
  readonly probabilities: number[][];
  /** Class probabilities, n × classes, row-major (columns in model.classes order). */
  probabilityMatrix: Float64Array;
}

/**
 * Evaluates a fitted model on labelled data: a matrix X with labels y, or a table whose target
 * column the model knows (then y is omitted).
 */
export function evaluateModel(model: LinearClassifier, X: DataLike, y?: ArrayLike<Label> | null): Evaluation {
  return evaluationOf(model.classes, model.scoreRows(X, y));
}

/** The metrics of scored rows (what `scoreRows` / `scoreTraining` return). */
export function evaluationOf(classes: readonly Label[], scored: Scored): Evaluation {
  const P = scored.probabilities;
  const y = scored.labels;
  const C = classes.length;
  const n = P.length / C;
  const predictions = mostProbable(P, classes);
  const confusion = confusionMatrix(y, predictions, classes);
  const prf = scoresFromConfusion(confusion);
  let nested: number[][] | null = null;
  let hits = 0;
  for (let i = 0; i < y.length; i++) if (predictions[i] === y[i]) hits++;
  return {
    n: y.length,
    logLoss: scored.logLoss,
    accuracy: hits / y.length,
    perClass: prf.perClass,
    macro: prf.macro,
    confusion,
    labels: y,
    predictions,
    probabilityMatrix: P,
    get probabilities() {
      nested ??= Array.from({ length: n }, (_, i) => Array.from(P.subarray(i * C, (i + 1) * C)));
      return nested;
    },
  };
}
