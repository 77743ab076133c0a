import type { MatrixLike } from '../backend/dense.js';
import { confusionMatrix, scoresFromConfusion, type ClassScores } from '../metrics/classification.js';
import type { Label } from '../util/labels.js';
import { type LinearClassifier, mostProbable } from './linearClassifier.js';

/** The metrics of a fitted model on labelled data, as `logreg train` and `logreg evaluate` report them. */
export interface Evaluation {
  n: number;
  /** Mean negative log-likelihood, from the logits through src/loss/ (unweighted). */
  logLoss: number;
  accuracy: number;
  perClass: ClassScores[];
  macro: Omit<ClassScores, 'label'>;
  confusion: { labels: Label[]; matrix: number[][] };
  /** Predicted classes and probabilities (n×classes), for plots and further metrics. */
  predictions: Label[];
  /** The rows of `probabilityMatrix` as arrays (made when first read). */
  readonly probabilities: number[][];
  /** Class probabilities, n × classes, row-major (columns in model.classes order). */
  probabilityMatrix: Float64Array;
}

/** Evaluates a fitted model on X (n×d) with labels y. */
export function evaluateModel(model: LinearClassifier, X: MatrixLike, y: readonly Label[]): Evaluation {
  const P = model.probabilities(X);
  const classes = model.classes;
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
    logLoss: model.logLoss(X, y),
    accuracy: hits / y.length,
    perClass: prf.perClass,
    macro: prf.macro,
    confusion,
    predictions,
    probabilityMatrix: P,
    get probabilities() {
      nested ??= Array.from({ length: n }, (_, i) => Array.from(P.subarray(i * C, (i + 1) * C)));
      return nested;
    },
  };
}
