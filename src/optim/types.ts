/**
 * The contract between optimizers and what they minimize. Optimizers see only an `Objective`:
 * a smooth function of a flat parameter vector x ∈ ℝ^dim. They know nothing of data or models.
 */

/** A smooth objective f: ℝ^dim → ℝ. */
export interface Objective {
  /** Length of the parameter vector. */
  readonly dim: number;
  /**
   * Computes f(x) and writes ∇f(x) into `grad` (length `dim`) in one evaluation.
   * Must not modify `x`. Returns f(x).
   */
  valueAndGradient(x: Float64Array, grad: Float64Array): number;
  /**
   * The Hessian at x as an operator: the returned function writes ∇²f(x)·v into `out`.
   * It is bound to the x given here (later changes to x's contents must not affect it).
   */
  hessVec?(x: Float64Array): (v: Float64Array, out: Float64Array) => void;
  /**
   * The diagonal of ∇²f(x) (a new array of length `dim`), for preconditioning conjugate gradients.
   * Optional: second-order solvers run unpreconditioned without it.
   */
  hessDiag?(x: Float64Array): Float64Array;
}

/** An objective that is an average over samples, so a subset of samples gives an estimate of it. */
export interface StochasticObjective extends Objective {
  /** Number of samples the objective averages over. */
  readonly nSamples: number;
  /**
   * f and ∇f estimated on the samples `rows[0..count)` only (a mini-batch); any regularization term
   * is included in full. Writes the gradient into `grad`, returns the estimate.
   */
  batchValueAndGradient(x: Float64Array, grad: Float64Array, rows: Uint32Array, count: number): number;
}

/** Why an optimizer stopped. */
export type StopReason =
  /** ‖∇f‖∞ ≤ tol: the first-order optimality condition holds to the requested tolerance. */
  | 'gradient-tolerance'
  /** The last steps changed f by less than machine precision can resolve; x is as good as it gets. */
  | 'no-progress'
  /** `maxIter` iterations (epochs, for SGD) were used up before the tolerance was met. */
  | 'max-iterations'
  /** The line search or trust region could not find a step that decreases f. */
  | 'line-search-failed'
  /** f or ∇f became NaN or infinite (for example a learning rate far too large). */
  | 'non-finite';

/** Per-iteration report, for progress bars and traces. */
export interface IterationInfo {
  iteration: number;
  value: number;
  gradNorm: number;
}

/** Options shared by every optimizer (each adds its own). */
export interface OptimizerOptions {
  /** Maximum number of iterations (epochs for SGD). */
  maxIter: number;
  /** Stop when ‖∇f(x)‖∞ ≤ tol. */
  tol: number;
  /** Called after every iteration. */
  onIteration?: (info: IterationInfo) => void;
}

/** What every optimizer returns. */
export interface OptimizeResult {
  /** The final iterate (a new array; the starting point is not modified). */
  x: Float64Array;
  /** f(x). */
  value: number;
  /** ‖∇f(x)‖∞ at the final x (for SGD: of the full objective, evaluated once at the end). */
  gradNorm: number;
  /** Iterations performed (epochs for SGD). */
  iterations: number;
  /** True when the stopping reason is 'gradient-tolerance' (or 'no-progress' at a tiny gradient). */
  converged: boolean;
  reason: StopReason;
  /** f at the start and after every iteration: history[0] = f(x0), history[k] = f after iteration k. */
  history: number[];
  /** Work done, in calls to the objective: valueAndGradient (full), hessVec products, batch gradients. */
  evaluations: { valueAndGradient: number; hessVec: number; batch: number };
}
