import { describe } from '../backend/dense.js';
import type { IterationInfo } from '../optim/types.js';
import type { Label } from '../util/labels.js';

/** The optimizers a model can be fitted with (src/optim/). */
export type Solver = 'auto' | 'newton' | 'lbfgs' | 'gd' | 'sgd';

/** The penalties (see ModelOptions.penalty). */
export type Penalty = 'l2' | 'none' | 'l1' | 'elasticnet';
export const PENALTIES: readonly Penalty[] = ['l2', 'none', 'l1', 'elasticnet'];
export const SOLVERS: readonly Solver[] = ['auto', 'newton', 'lbfgs', 'gd', 'sgd'];

/** Class weights: 'balanced' = n / (K · count of the class), or an explicit weight per class label. */
export type ClassWeight = 'balanced' | Readonly<Record<string, number>>;

/**
 * Options of `LogisticRegression` and `SoftmaxRegression`, all optional. The objective is the one of
 * docs/architecture.md: J(W, b) = Σᵢ sᵢℓᵢ / Σᵢ sᵢ + ‖W‖²_F / (2·C·Σᵢ sᵢ), sᵢ = sample weight × class weight.
 */
export interface ModelOptions {
  /** Inverse regularization strength, > 0 (default 1). Ignored when penalty is 'none'. */
  C?: number;
  /**
   * 'l2' (default), 'none', 'l1' or 'elasticnet': the penalty (a·‖W‖₁ + (1 − a)/2·‖W‖²_F)/(C·S) with
   * a = l1Ratio (l1: a = 1; l2: a = 0), the objective of scikit-learn's
   * `LogisticRegression(penalty='elasticnet', l1_ratio=a, C)` and of glmnet with λ = 1/(C·S), α = a.
   * Softmax models penalize every class's coefficients (so an L1 softmax model is not in the
   * Σₖ Wₖ = 0 form an L2 one has); intercepts are never penalized.
   */
  penalty?: Penalty;
  /** a ∈ [0, 1] of the elastic net (required with penalty 'elasticnet'; 1 with 'l1', 0 with 'l2'). */
  l1Ratio?: number;
  /**
   * Optimizer. 'auto' (default): L-BFGS, handing over to trust-region Newton-CG when it has not
   * converged within 50 iterations, so well-conditioned problems cost few passes over the data and
   * raw, badly scaled ones still reach the optimum. 'newton' and 'lbfgs' alone; 'gd' (gradient
   * descent) and 'sgd' (mini-batch SGD) reach the optimum on well-scaled data, to a looser tolerance.
   */
  solver?: Solver;
  /** Iteration limit (epochs for sgd). Default: auto 1000, newton 100, lbfgs 1000, gd 10000, sgd 200. */
  maxIter?: number;
  /** Stop when ‖∇J‖∞ ≤ tol. Default 1e-8 (1e-4 for sgd, whose gradient noise is larger). */
  tol?: number;
  classWeight?: ClassWeight | null;
  /** z-score every feature with the training mean and population std (std 0 → 1), stored in the model. */
  standardize?: boolean;
  /** Fit the unpenalized intercepts b (default true). */
  fitIntercept?: boolean;
  /** Seed of SGD's shuffles (default 0). */
  seed?: number;
  /** Step size for gd (default: none, i.e. Armijo backtracking) and η₀ of sgd (default 1, decaying as 1/√epoch). */
  learningRate?: number | null;
  /** Rows per SGD mini-batch (default 8). */
  batchSize?: number;
  /**
   * Start the next fit from this model's coefficients when it is refitted on data with the same
   * columns and classes (scikit-learn's warm_start; default false): fewer iterations when the
   * data or C changed a little. The optimum reached is the same.
   */
  warmStart?: boolean;
  /** Called after every iteration of the optimizer (for progress bars). */
  onIteration?: ((info: IterationInfo) => void) | null;
  /**
   * Threads sharing the rows of X during the fit: 'auto' (default) uses every core for large
   * problems (rows × features × logits ≥ 2,000,000) and one thread otherwise; a number forces it.
   */
  threads?: number | 'auto';
  /**
   * Binary models: the label whose probability the model gives (the "1" of the logit; default the
   * second class in sorted order). The model's classes are then [the other label, this one].
   */
  positiveClass?: Label | null;
}

/** Every option filled in and checked: what the internals receive and trust. */
export interface ResolvedOptions {
  warmStart: boolean;
  C: number;
  penalty: Penalty;
  /** a of the elastic net: 1 for l1, 0 for l2 and none. */
  l1Ratio: number;
  solver: Solver;
  maxIter: number;
  tol: number;
  classWeight: ClassWeight | null;
  standardize: boolean;
  fitIntercept: boolean;
  seed: number;
  learningRate: number | null;
  batchSize: number;
  onIteration: ((info: IterationInfo) => void) | null;
  threads: number | 'auto';
  positiveClass: Label | null;
}

const DEFAULT_MAX_ITER: Record<Solver, number> = { auto: 1000, newton: 100, lbfgs: 1000, gd: 10000, sgd: 200 };

/** The iteration limit a solver gets when maxIter is not given. */
export function defaultMaxIter(solver: Solver): number {
  return DEFAULT_MAX_ITER[solver];
}

const KNOWN = new Set([
  'C', 'penalty', 'l1Ratio', 'solver', 'maxIter', 'tol', 'classWeight', 'standardize', 'fitIntercept', 'seed',
  'learningRate', 'batchSize', 'onIteration', 'threads', 'positiveClass', 'warmStart',
]);

function positive(name: string, v: unknown): number {
  if (typeof v !== 'number') throw new TypeError(`${name} must be a positive number, got ${describe(v)}`);
  if (!(v > 0) || !Number.isFinite(v)) throw new RangeError(`${name} must be a positive number, got ${v}`);
  return v;
}

function positiveInteger(name: string, v: unknown): number {
  if (typeof v !== 'number') throw new TypeError(`${name} must be a positive integer, got ${describe(v)}`);
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be a positive integer, got ${v}`);
  return v;
}

function label(name: string, v: unknown): Label | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))) return v;
  throw new TypeError(`${name} must be a class label (a number or a string), got ${describe(v)}`);
}

function boolean(name: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new TypeError(`${name} must be true or false, got ${describe(v)}`);
  return v;
}

/**
 * Checks user options once, at the API edge, and fills in the defaults. Unknown option names are a
 * TypeError (a misspelt `maxiter` must not be silently ignored).
 */
export function resolveOptions(options: ModelOptions | undefined): ResolvedOptions {
  const o = options ?? {};
  if (typeof o !== 'object' || o === null) throw new TypeError(`options must be an object, got ${describe(o)}`);
  for (const key of Object.keys(o)) {
    if (!KNOWN.has(key)) throw new TypeError(`unknown option "${key}"; known options are ${[...KNOWN].join(', ')}`);
  }
  const solver = o.solver ?? 'auto';
  if (!SOLVERS.includes(solver)) {
    throw new RangeError(`solver must be one of ${SOLVERS.join(', ')}, got ${describe(solver)}`);
  }
  const penalty = o.penalty ?? 'l2';
  if (!PENALTIES.includes(penalty)) throw new RangeError(`penalty must be one of ${PENALTIES.map((p) => `'${p}'`).join(', ')}, got ${describe(penalty)}`);
  const l1Ratio = resolveL1Ratio(penalty, o.l1Ratio);
  if ((penalty === 'l1' || penalty === 'elasticnet') && solver !== 'auto') {
    throw new RangeError(`penalty '${penalty}' is fitted by solver 'auto' (proximal Newton: coordinate descent on the local quadratic model), not '${solver}'`);
  }
  const C = o.C === undefined ? 1 : positive('C', o.C);
  const maxIter = o.maxIter === undefined ? DEFAULT_MAX_ITER[solver] : positiveInteger('maxIter', o.maxIter);
  const tol = o.tol === undefined ? (solver === 'sgd' ? 1e-4 : 1e-8) : positive('tol', o.tol);
  let classWeight: ClassWeight | null = null;
  if (o.classWeight !== undefined && o.classWeight !== null) {
    if (o.classWeight === 'balanced') classWeight = 'balanced';
    else if (typeof o.classWeight === 'object' && !Array.isArray(o.classWeight)) {
      for (const [label, w] of Object.entries(o.classWeight)) {
        if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
          throw new RangeError(`classWeight["${label}"] must be a finite number ≥ 0, got ${describe(w)}`);
        }
      }
      classWeight = { ...o.classWeight };
    } else {
      throw new TypeError(`classWeight must be 'balanced' or an object of weights by class label, got ${describe(o.classWeight)}`);
    }
  }
  const seed = o.seed ?? 0;
  if (typeof seed !== 'number' || !Number.isInteger(seed)) throw new TypeError(`seed must be an integer, got ${describe(seed)}`);
  if (o.learningRate !== undefined && o.learningRate !== null && solver !== 'gd' && solver !== 'sgd') {
    throw new TypeError(`learningRate applies to solver 'gd' or 'sgd', not '${solver}' (which chooses its own steps)`);
  }
  if (o.batchSize !== undefined && solver !== 'sgd') throw new TypeError(`batchSize applies to solver 'sgd', not '${solver}'`);
  const learningRate = o.learningRate === undefined || o.learningRate === null
    ? (solver === 'sgd' ? 1 : null)
    : positive('learningRate', o.learningRate);
  const batchSize = o.batchSize === undefined ? 8 : positiveInteger('batchSize', o.batchSize);
  const onIteration = o.onIteration ?? null;
  if (onIteration !== null && typeof onIteration !== 'function') {
    throw new TypeError(`onIteration must be a function, got ${describe(onIteration)}`);
  }
  return {
    warmStart: o.warmStart === undefined ? false : boolean('warmStart', o.warmStart),
    C: penalty === 'none' ? Infinity : C,
    penalty,
    l1Ratio,
    solver,
    maxIter,
    tol,
    classWeight,
    standardize: o.standardize === undefined ? false : boolean('standardize', o.standardize),
    fitIntercept: o.fitIntercept === undefined ? true : boolean('fitIntercept', o.fitIntercept),
    seed,
    learningRate,
    batchSize,
    onIteration,
    threads: o.threads === undefined || o.threads === 'auto' ? 'auto' : positiveInteger('threads', o.threads),
    positiveClass: label('positiveClass', o.positiveClass),
  };
}

/** The elastic net's a for a penalty: given (in [0, 1]) with 'elasticnet', implied by the others. */
function resolveL1Ratio(penalty: Penalty, v: unknown): number {
  if (v === undefined || v === null) {
    if (penalty === 'elasticnet') throw new TypeError("penalty 'elasticnet' needs l1Ratio, a number in [0, 1] (1: lasso, 0: ridge)");
    return penalty === 'l1' ? 1 : 0;
  }
  if (typeof v !== 'number') throw new TypeError(`l1Ratio must be a number in [0, 1], got ${describe(v)}`);
  if (!(v >= 0 && v <= 1)) throw new RangeError(`l1Ratio must be a number in [0, 1], got ${v}`);
  if (penalty === 'elasticnet') return v;
  const implied = penalty === 'l1' ? 1 : 0;
  if (penalty !== 'none' && v !== implied) {
    throw new RangeError(`l1Ratio ${v} does not go with penalty '${penalty}' (which means l1Ratio ${implied}); use penalty 'elasticnet'`);
  }
  if (penalty === 'none') throw new TypeError("l1Ratio applies to penalty 'elasticnet' (or 'l1', 'l2'), not 'none'");
  return v;
}
