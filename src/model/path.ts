/**
 * Fits along a grid of penalties (a regularization path): the grid, and what each step records.
 *
 * The grid variable is glmnet's λ = 1/(C·S) (S = Σᵢ sᵢ, the total weight of the rows fitted): the
 * penalty per unit of weight, which keeps its meaning on any subset of the rows (cross-validation
 * fits each fold at the same λ, as cv.glmnet does). A path runs from the largest λ (the sparsest or
 * most shrunk model) down, each fit warm-started at the previous optimum.
 */

/** Which λ a path visits. */
export interface PathGrid {
  /** Explicit λ values (> 0); any order (fitted from the largest down). */
  lambdas?: readonly number[];
  /** Or explicit C values (> 0): λ = 1/(C·S) on the rows fitted. */
  Cs?: readonly number[];
  /**
   * Otherwise `count` values (default 100): with an L1 part, log-spaced from λ_max (the smallest λ
   * whose optimum has W = 0, glmnet's lambda.max) down to `minRatio`·λ_max (default 1e-4); for the
   * L2 penalty, C log-spaced from 1e-4 to 1e4 (scikit-learn's LogisticRegressionCV default).
   */
  count?: number;
  minRatio?: number;
  /**
   * Where the first λ's fit starts: a step of an earlier path on the same columns and classes (a
   * refit at one λ of a path, from the path's optimum there). Default: zero coefficients.
   */
  start?: Pick<PathStep, 'coef' | 'intercept'>;
  /**
   * Fit only the first `limit` values of the grid (its largest λ); PathFit.lambdas still lists
   * them all. Cross-validation fits the first λ alone to learn the grid and the folds' start.
   */
  limit?: number;
}

/** One fit of a path. */
export interface PathStep {
  /** C = 1/(λ·S) on the rows fitted. */
  C: number;
  lambda: number;
  /** J at the step's optimum (data term plus penalty). */
  objective: number;
  /** Non-zero coefficients (intercepts not counted). */
  nonzero: number;
  /** K×p, row-major, in the model's coefficient order (on standardized columns when standardized). */
  coef: Float64Array;
  intercept: Float64Array;
  iterations: number;
  converged: boolean;
  /** The optimality measure the solver stopped on (‖∇J‖∞, or the subgradient's with an L1 part). */
  gradNorm: number;
}

/** A path fit: its steps in fitting order (λ decreasing), and what it cost. */
export interface PathFit {
  steps: PathStep[];
  /** The whole grid, decreasing (the steps fitted are its first ones, all of them unless limited). */
  lambdas: number[];
  /** λ_max of these rows with an L1 part, else null. */
  lambdaMax: number | null;
  /** S of the rows fitted. */
  weightSum: number;
  /** Passes over the data for values and gradients, and Hessians formed, over the whole path. */
  passes: number;
  hessians: number;
}

/** `count` values log-spaced from `hi` down to `lo` (both included; one value: hi). */
export function logSpaced(hi: number, lo: number, count: number): number[] {
  if (count === 1) return [hi];
  const a = Math.log(hi);
  const b = Math.log(lo);
  return Array.from({ length: count }, (_, i) => Math.exp(a + ((b - a) * i) / (count - 1)));
}

/**
 * Checks a grid's values and count. Returns the explicit values (λ, or C when `kind` is 'C'),
 * or null for the default grid.
 */
export function checkGrid(grid: PathGrid): { values: number[] | null; kind: 'lambda' | 'C'; count: number; minRatio: number } {
  const count = grid.count ?? 100;
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`the grid needs a whole number of values ≥ 1, got ${count}`);
  const minRatio = grid.minRatio ?? 1e-4;
  if (!(minRatio > 0 && minRatio < 1)) throw new RangeError(`minRatio must be in (0, 1), got ${minRatio}`);
  if (grid.limit !== undefined && !(Number.isInteger(grid.limit) && grid.limit >= 1)) throw new RangeError(`limit must be a whole number ≥ 1, got ${grid.limit}`);
  if (grid.lambdas !== undefined && grid.Cs !== undefined) throw new RangeError('give the grid as λ values or as C values, not both');
  const given = grid.lambdas ?? grid.Cs;
  const kind = grid.lambdas !== undefined ? 'lambda' : 'C';
  if (given === undefined) return { values: null, kind, count, minRatio };
  if (given.length === 0) throw new RangeError('the grid is empty: give at least one value');
  for (const v of given) {
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) throw new RangeError(`every grid value must be a positive number, got ${v}`);
  }
  return { values: [...given], kind, count, minRatio };
}
