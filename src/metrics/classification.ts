import { type Label, sortedUniqueLabels } from '../util/labels.js';

/** Classification metrics on predicted labels (scikit-learn's conventions). */

function sameLength(a: ArrayLike<unknown>, b: ArrayLike<unknown>, names: string): void {
  if (a.length !== b.length) throw new RangeError(`${names}: lengths differ (${a.length} and ${b.length})`);
  if (a.length === 0) throw new RangeError(`${names}: no rows`);
}

/** Accuracy: Σᵢ wᵢ·[yTrueᵢ = yPredᵢ] / Σᵢ wᵢ. */
export function accuracy(yTrue: ArrayLike<Label>, yPred: ArrayLike<Label>, sampleWeight?: ArrayLike<number> | null): number {
  sameLength(yTrue, yPred, 'accuracy(yTrue, yPred)');
  let hit = 0;
  let total = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const w = sampleWeight ? sampleWeight[i]! : 1;
    if (yTrue[i] === yPred[i]) hit += w;
    total += w;
  }
  return hit / total;
}

/**
 * Confusion matrix: matrix[a][b] = number of rows of true class labels[a] predicted as labels[b]
 * (rows = truth, columns = prediction). labels default to the sorted union of both arrays.
 */
export function confusionMatrix(yTrue: ArrayLike<Label>, yPred: ArrayLike<Label>, labels?: readonly Label[]): { labels: Label[]; matrix: number[][] } {
  sameLength(yTrue, yPred, 'confusionMatrix(yTrue, yPred)');
  const classes = labels ? [...labels] : sortedUniqueLabels([...Array.from(yTrue), ...Array.from(yPred)]);
  const index = new Map(classes.map((c, k) => [c, k]));
  const matrix = classes.map(() => new Array<number>(classes.length).fill(0));
  for (let i = 0; i < yTrue.length; i++) {
    const a = index.get(yTrue[i]!);
    const b = index.get(yPred[i]!);
    if (a !== undefined && b !== undefined) matrix[a]![b]! += 1;
  }
  return { labels: classes, matrix };
}

export interface ClassScores {
  label: Label;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/**
 * Per-class precision = TP/(TP+FP), recall = TP/(TP+FN), F1 = 2PR/(P+R), support = true rows of the
 * class; an undefined ratio (0/0) is 0 (scikit-learn's zero_division=0). Also the macro average
 * (plain mean over classes) and the support-weighted average.
 */
export function precisionRecallF1(
  yTrue: ArrayLike<Label>, yPred: ArrayLike<Label>, labels?: readonly Label[],
): { perClass: ClassScores[]; macro: Omit<ClassScores, 'label'>; weighted: Omit<ClassScores, 'label'> } {
  return scoresFromConfusion(confusionMatrix(yTrue, yPred, labels));
}

/** precisionRecallF1 from a confusion matrix already counted (rows: truth, columns: prediction). */
export function scoresFromConfusion(
  { labels: classes, matrix }: { labels: Label[]; matrix: number[][] },
): { perClass: ClassScores[]; macro: Omit<ClassScores, 'label'>; weighted: Omit<ClassScores, 'label'> } {
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
    perClass.reduce((s, c) => s + c[key] * (weighted ? c.support / total : 1 / perClass.length), 0);
  return {
    perClass,
    macro: { precision: avg('precision', false), recall: avg('recall', false), f1: avg('f1', false), support: total },
    weighted: { precision: avg('precision', true), recall: avg('recall', true), f1: avg('f1', true), support: total },
  };
}
