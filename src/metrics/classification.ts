import { type Label, sortedUniqueLabels } from '../util/labels.js';
import { checkLabelPair, checkLabels, checkWeights, describe } from './validate.js';

/**
 * Classification metrics on predicted labels (scikit-learn's conventions). Every function takes
 * optional sample weights wᵢ ≥ 0: a row then counts wᵢ times, and every "count" below is a sum of
 * weights (the plain count without weights).
 */

/** Accuracy: Σᵢ wᵢ·[yTrueᵢ = yPredᵢ] / Σᵢ wᵢ. */
export function accuracy(yTrue: ArrayLike<Label>, yPred: ArrayLike<Label>, sampleWeight?: ArrayLike<number> | null): number {
  const n = checkLabelPair(yTrue, yPred, 'accuracy', ['yTrue', 'yPred']);
  const w = checkWeights(sampleWeight, n, 'accuracy');
  let hit = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const wi = w === null ? 1 : w[i]!;
    if (yTrue[i] === yPred[i]) hit += wi;
    total += wi;
  }
  return hit / total;
}

/** A confusion matrix with its class order. */
export interface Confusion {
  labels: Label[];
  /** matrix[a][b]: (weighted) count of rows of true class labels[a] predicted as labels[b]. */
  matrix: number[][];
}

/**
 * Confusion matrix: matrix[a][b] = Σ{wᵢ : yTrueᵢ = labels[a], yPredᵢ = labels[b]} (rows = truth,
 * columns = prediction). labels default to the sorted union of both arrays; rows whose true or
 * predicted label is not among `labels` are left out (scikit-learn's `confusion_matrix`).
 */
export function confusionMatrix(
  yTrue: ArrayLike<Label>, yPred: ArrayLike<Label>, labels?: readonly Label[] | null, sampleWeight?: ArrayLike<number> | null,
): Confusion {
  const n = checkLabelPair(yTrue, yPred, 'confusionMatrix', ['yTrue', 'yPred']);
  const w = checkWeights(sampleWeight, n, 'confusionMatrix');
  if (labels) {
    checkLabels(labels, 'confusionMatrix', 'labels');
    if (new Set(labels).size !== labels.length) throw new RangeError('confusionMatrix: labels has a repeated label');
    if (labels.length === 0) throw new RangeError('confusionMatrix: labels is empty');
  }
  const classes = labels ? [...labels] : sortedUniqueLabels([...Array.from(yTrue), ...Array.from(yPred)]);
  const index = new Map(classes.map((c, k) => [c, k]));
  const matrix = classes.map(() => new Array<number>(classes.length).fill(0));
  for (let i = 0; i < n; i++) {
    const a = index.get(yTrue[i]!);
    const b = index.get(yPred[i]!);
    if (a !== undefined && b !== undefined) matrix[a]![b]! += w === null ? 1 : w[i]!;
  }
  return { labels: classes, matrix };
}

export interface ClassScores {
  label: Label;
  precision: number;
  recall: number;
  f1: number;
  /** Σ wᵢ over the rows of this true class (their number without weights), as scikit-learn's support. */
  support: number;
}

/** Precision, recall and F1 of every class, and their macro and support-weighted averages. */
export interface ClassificationScores {
  perClass: ClassScores[];
  /** Plain means over classes (scikit-learn `average='macro'`); support is the total. */
  macro: Omit<ClassScores, 'label'>;
  /** Means weighted by support (`average='weighted'`, classification_report's "weighted avg"). */
  weighted: Omit<ClassScores, 'label'>;
}

/**
 * Per-class precision = TP/(TP+FP), recall = TP/(TP+FN), F1 = 2PR/(P+R), support = TP+FN (the
 * class's true rows), all weighted; an undefined ratio (0/0) is 0 (scikit-learn's
 * zero_division=0). Also the macro average (plain mean over classes) and the support-weighted
 * average Σₖ supportₖ·mₖ / Σₖ supportₖ. With labels, only those classes count (see confusionMatrix).
 */
export function precisionRecallF1(
  yTrue: ArrayLike<Label>, yPred: ArrayLike<Label>, labels?: readonly Label[] | null, sampleWeight?: ArrayLike<number> | null,
): ClassificationScores {
  return scoresFromConfusion(confusionMatrix(yTrue, yPred, labels, sampleWeight));
}

/** Checks that a counted confusion matrix is square, one row per label, with finite counts ≥ 0. */
function checkConfusion({ labels, matrix }: Confusion, fn: string): void {
  if (!Array.isArray(labels) || !Array.isArray(matrix)) throw new TypeError(`${fn}: the confusion matrix must have arrays labels and matrix`);
  if (matrix.length !== labels.length) throw new RangeError(`${fn}: the confusion matrix has ${matrix.length} rows for ${labels.length} labels`);
  matrix.forEach((row, a) => {
    if (!Array.isArray(row) || row.length !== labels.length) throw new RangeError(`${fn}: row ${a} of the confusion matrix must have ${labels.length} counts`);
    row.forEach((v, b) => {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new RangeError(`${fn}: matrix[${a}][${b}] must be a finite count ≥ 0, got ${describe(v)}`);
    });
  });
}

/** precisionRecallF1 from a confusion matrix already counted (rows: truth, columns: prediction). */
export function scoresFromConfusion(confusion: Confusion): ClassificationScores {
  checkConfusion(confusion, 'scoresFromConfusion');
  const { labels: classes, matrix } = confusion;
  const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
  const perClass = classes.map((label, k) => {
    const tp = matrix[k]![k]!;
    const support = matrix[k]!.reduce((s, v) => s + v, 0);
    const predicted = matrix.reduce((s, row) => s + row[k]!, 0);
    const precision = ratio(tp, predicted);
    const recall = ratio(tp, support);
    return { label, precision, recall, f1: ratio(2 * precision * recall, precision + recall), support };
  });
  const total = perClass.reduce((s, c) => s + c.support, 0);
  const avg = (key: 'precision' | 'recall' | 'f1', weighted: boolean) =>
    perClass.reduce((s, c) => s + c[key] * (weighted ? ratio(c.support, total) : 1 / perClass.length), 0);
  return {
    perClass,
    macro: { precision: avg('precision', false), recall: avg('recall', false), f1: avg('f1', false), support: total },
    weighted: { precision: avg('precision', true), recall: avg('recall', true), f1: avg('f1', true), support: total },
  };
}

/**
 * Balanced accuracy (scikit-learn's `balanced_accuracy_score`): the mean over classes of the
 * recall Σ{wᵢ : yᵢ = k, ŷᵢ = k} / Σ{wᵢ : yᵢ = k}, taken over the classes present in yTrue with
 * positive weight (a class only ever predicted has no recall and is left out). Equal to accuracy
 * when the classes are balanced; 1/K for a constant prediction.
 */
export function balancedAccuracy(yTrue: ArrayLike<Label>, yPred: ArrayLike<Label>, sampleWeight?: ArrayLike<number> | null): number {
  return balancedAccuracyFromConfusion(confusionMatrix(yTrue, yPred, null, sampleWeight));
}

/** balancedAccuracy from a confusion matrix already counted (rows: truth, columns: prediction). */
export function balancedAccuracyFromConfusion(confusion: Confusion): number {
  checkConfusion(confusion, 'balancedAccuracy');
  const { matrix } = confusion;
  let sum = 0;
  let classes = 0;
  matrix.forEach((row, k) => {
    const support = row.reduce((s, v) => s + v, 0);
    if (support > 0) {
      sum += row[k]! / support;
      classes++;
    }
  });
  if (classes === 0) throw new RangeError('balancedAccuracy: no true class has rows of positive weight');
  return sum / classes;
}
