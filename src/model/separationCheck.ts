import { type ModelMatrix, matrixRow } from '../backend/modelMatrix.js';
import type { Label } from '../util/labels.js';
import { detectSeparation } from './separation.js';

/**
 * Whether an unpenalized fit has a maximum-likelihood estimate, decided on the data alone by the
 * linear program of separation.ts (not by how far an optimizer got, and not by the columns' units).
 * The model matrix is written out densely for it (intercept first, then the columns in coefficient
 * order), so the exact test runs up to MAX_CHECKED_VALUES values; larger fits are 'not-checked'.
 */
export interface SeparationReport {
  status: 'none' | 'complete' | 'quasi-complete' | 'not-checked';
  /** The coefficients whose estimates tend to ±∞ (softmax: "class: column", against the first class). */
  columns: string[];
  /** Rows on every separating hyperplane (quasi-complete separation). */
  rowsOnBoundary: number;
}

/** Most values (rows × columns) of the dense copy the exact test makes: 20 million (160 MB). */
export const MAX_CHECKED_VALUES = 20_000_000;

/** The separation status of the rows of M (coefficient j is M's column order[j]) with class indices y. */
export function checkSeparation(
  M: ModelMatrix, order: Int32Array, y: Int32Array, classes: readonly Label[], weights: Float64Array | null,
  names: readonly string[], intercept: boolean,
): SeparationReport {
  const p = order.length;
  const cols = p + (intercept ? 1 : 0);
  if (M.rows * cols > MAX_CHECKED_VALUES) return { status: 'not-checked', columns: [], rowsOnBoundary: 0 };
  const X = new Float64Array(M.rows * cols);
  const row = new Float64Array(M.cols);
  const off = intercept ? 1 : 0;
  for (let i = 0; i < M.rows; i++) {
    matrixRow(M, i, row);
    const o = i * cols;
    if (intercept) X[o] = 1;
    for (let j = 0; j < p; j++) X[o + off + j] = row[order[j]!]!;
  }
  const r = detectSeparation({
    X, n: M.rows, p: cols, y, K: classes.length, weights,
    names: [...(intercept ? ['intercept'] : []), ...names], classes: classes.map(String),
  });
  return { status: r.status, columns: r.separatingColumns, rowsOnBoundary: r.rowsOnBoundary };
}

/** The warning a fit report gives for separated classes (as R's glm warns of fitted probabilities of 0 or 1). */
export function separationWarning(s: SeparationReport): string | null {
  if (s.status !== 'complete' && s.status !== 'quasi-complete') return null;
  const which = s.columns.length > 0 ? `; the coefficients of ${s.columns.slice(0, 6).join(', ')}${s.columns.length > 6 ? ', …' : ''} tend to ±∞` : '';
  return `${s.status} separation: the classes are separated${s.status === 'quasi-complete' ? ` except for ${s.rowsOnBoundary} rows on the boundary` : ''}, so the maximum-likelihood estimate does not exist${which}; fitted probabilities are numerically 0 or 1 and the coefficients depend on where the optimizer stopped (use the L2 penalty)`;
}
