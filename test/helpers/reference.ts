import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The reference optima (test/fixtures/optima.json, a copy of shared/reference/optima.json: computed
 * with scikit-learn 1.2.1 and polished with exact Newton steps; see test/fixtures/README.md).
 */
export interface FitCase {
  name: string;
  data: string;
  target: string;
  standardize: boolean;
  C: number | 'inf';
  class_weight?: 'balanced';
  sample_weight?: 'cycle3';
  n_samples: number;
  n_features: number;
  feature_names: string[];
  classes: string[];
  coef: number[][];
  intercept: number[];
  objective: number;
  sklearn_lbfgs_objective: number;
  log_loss: number;
  weighted_log_loss: number;
  accuracy: number;
  proba_first_rows: number[][];
  statsmodels?: {
    params: number[]; bse: number[]; pvalues: number[]; llf: number; conf_int_95: number[][]; aic: number; bic: number;
  };
}

export interface LossCase {
  name: string;
  y_true: number[];
  y_pred: number[] | number[][];
  expected: number;
}

export const FIXTURE_PATH = fileURLToPath(new URL('../fixtures/optima.json', import.meta.url));
const all = JSON.parse(readFileSync(FIXTURE_PATH, 'utf8')) as Array<FitCase | LossCase>;

export const lossCases = all.filter((c): c is LossCase => 'expected' in c);
export const fitCases = all.filter((c): c is FitCase => 'objective' in c);

/** Weight of row i under the fixture's "cycle3" scheme: 1 + (i mod 3). */
export function cycle3(n: number): number[] {
  return Array.from({ length: n }, (_, i) => 1 + (i % 3));
}

/** |a − b| / max(|b|, tiny): the relative error used against reference values. */
export function relErr(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}
