import { type DenseMatrix, type MatrixLike, describe } from '../backend/dense.js';
import { binomialLoss } from '../loss/binomial.js';
import { makeLayout } from '../loss/layout.js';
import { multinomialLoss } from '../loss/multinomial.js';
import { LinearModelObjective } from '../loss/objective.js';
import type { PointwiseLoss } from '../loss/pointwise.js';
import { linearLogits, linearProbabilities } from '../loss/predict.js';
import { gradientDescent, lbfgs, lbfgsThenNewton, newton, sgd } from '../optim/index.js';
import type { OptimizeResult, StopReason } from '../optim/types.js';
import { type Label, sortedUniqueLabels } from '../util/labels.js';
import { classList, classWeights, encodeLabels } from './encoding.js';
import { type ModelOptions, type ResolvedOptions, type Solver, resolveOptions } from './options.js';
import { type Inference, computeInference } from './inference.js';
import { type ModelJSON, stateToJSON } from './serialize.js';
import { type Standardization, applyStandardization, fitStandardization } from './standardize.js';
import { checkSampleWeight, checkX, checkY } from './validate.js';

/** 'binary': one logit, P(classes[1]) = σ(w·x + b). 'softmax': one logit per class, P = softmax(W·x + b). */
export type ModelKind = 'binary' | 'softmax';

/** What a fit reports: it never stops silently. */
export interface FitDiagnostics {
  solver: Solver;
  /** The optimizer(s) that ran: the solver's name, or 'lbfgs' / 'lbfgs+newton' for 'auto'. */
  method: string;
  iterations: number;
  converged: boolean;
  /** Why the optimizer stopped (see `StopReason` in src/optim/types.ts). */
  reason: StopReason;
  /** J at the solution, on the training data (DESIGN.md's objective, with the fit's weights and C). */
  objective: number;
  /** ‖∇J‖∞ at the solution. */
  gradNorm: number;
  /** Wall time of the optimizer alone (no validation, standardization or I/O). */
  fitSeconds: number;
  /** J after each iteration, history[0] at the starting point. */
  history: number[];
  /** Objective calls made: full value-and-gradient, Hessian-vector products, mini-batch gradients. */
  evaluations: { valueAndGradient: number; hessVec: number; batch: number };
}

/** Per-call options of `fit`. */
export interface FitOptions {
  /** Per-row weights (finite, ≥ 0), multiplied by the class weights. */
  sampleWeight?: ArrayLike<number> | null;
  /** Names of X's columns, stored in the model (the CLI matches prediction data by them). */
  featureNames?: readonly string[] | null;
}

/** Options of the evaluation methods. */
export interface EvaluateOptions {
  sampleWeight?: ArrayLike<number> | null;
}

/** Everything a fitted model is; what toJSON writes and fromJSON restores. */
export interface FittedState {
  kind: ModelKind;
  classes: Label[];
  featureNames: string[] | null;
  nFeatures: number;
  /** K×d coefficients (K = 1 for binary), row-major, on the (standardized, if asked) features. */
  coef: Float64Array;
  /** K intercepts (zeros when fitIntercept is false). */
  intercept: Float64Array;
  standardization: Standardization | null;
  diagnostics: FitDiagnostics;
}

/**
 * The machinery shared by `LogisticRegression` and `SoftmaxRegression`: a linear model with K logits
 * per row, fitted by minimizing DESIGN.md's objective J with one of the optimizers of src/optim/.
 * Subclasses only say how many logits they have and which pointwise loss applies.
 */
export abstract class LinearClassifier {
  /** The checked options, every default filled in. */
  readonly options: ResolvedOptions;
  protected state: FittedState | null = null;
  /**
   * The training data as fit saw them (standardized, if asked; X in kernel memory), kept after fit
   * so that `summary()` can compute the observed information without the data being passed again.
   * Not serialized; a model restored by fromJSON needs summary(X, y).
   */
  private training: { X: DenseMatrix; yIdx: Int32Array; weights: Float64Array | null } | null = null;

  /** 'binary' or 'softmax'. */
  abstract readonly kind: ModelKind;

  constructor(options?: ModelOptions) {
    this.options = resolveOptions(options);
  }

  /** Logits per row for a given number of classes. */
  protected abstract logitCount(nClasses: number): number;

  protected lossFor(K: number): PointwiseLoss {
    return this.kind === 'binary' ? binomialLoss : multinomialLoss(K);
  }

  /** Refuses a class count this model cannot fit (binary needs exactly 2). */
  protected checkClasses(classes: readonly Label[]): void {
    if (classes.length < 2) {
      throw new RangeError(`y has a single class (${classList(classes)}); a classifier needs at least two classes`);
    }
  }

  /**
   * Fits the model: minimizes J(W, b) = Σᵢ sᵢℓᵢ / Σᵢ sᵢ + ‖W‖²_F / (2·C·Σᵢ sᵢ) over the rows of X
   * (n×d: number[][], ml-matrix Matrix or DenseMatrix) with labels y (n numbers or strings).
   * Every input is checked before any work; the fit's diagnostics tell whether it converged.
   *
   * X is never modified. A DenseMatrix in kernel memory (what readCsv and toDense return) is read
   * in place unless `standardize` is on; anything else is copied once. `summary()` without
   * arguments reads the training X again, so leave it unchanged until then (or pass X and y).
   */
  fit(X: MatrixLike, y: ArrayLike<Label>, fitOptions: FitOptions = {}): this {
    const o = this.options;
    const data = checkX(X, 'X', o.standardize);
    const labels = checkY(y, data.rows);
    const sampleWeight = checkSampleWeight(fitOptions.sampleWeight, data.rows);
    const featureNames = checkFeatureNames(fitOptions.featureNames, data.cols);
    const classes = sortedUniqueLabels(labels);
    this.checkClasses(classes);
    const yIdx = encodeLabels(labels, classes);
    const weights = combineWeights(sampleWeight, classWeights(o.classWeight, classes, yIdx), yIdx);

    const standardization = o.standardize ? fitStandardization(data) : null;
    if (standardization !== null) applyStandardization(data, standardization);

    const K = this.logitCount(classes.length);
    const layout = makeLayout(data.cols, K, o.fitIntercept);
    const objective = new LinearModelObjective({ X: data, loss: this.lossFor(K), layout, y: yIdx, weights, C: o.C, threads: o.threads });
    const x0 = new Float64Array(layout.dim);
    if (o.fitIntercept) warmStartIntercept(x0.subarray(K * data.cols), yIdx, weights, classes.length, K);

    let result: OptimizeResult;
    const t0 = performance.now();
    try {
      result = runSolver(o, objective, x0);
    } finally {
      objective.release();
    }
    const fitSeconds = (performance.now() - t0) / 1000;
    this.training = { X: data, yIdx, weights };

    const coef = Float64Array.from(result.x.subarray(0, K * data.cols));
    const intercept = o.fitIntercept ? Float64Array.from(result.x.subarray(K * data.cols)) : new Float64Array(K);
    if (this.kind === 'softmax') centerAcrossClasses(coef, intercept, K, data.cols);

    this.state = {
      kind: this.kind,
      classes,
      featureNames,
      nFeatures: data.cols,
      coef,
      intercept,
      standardization,
      diagnostics: {
        solver: o.solver,
        method: 'method' in result && typeof result.method === 'string' ? result.method : o.solver,
        iterations: result.iterations,
        converged: result.converged,
        reason: result.reason,
        objective: result.value,
        gradNorm: result.gradNorm,
        fitSeconds,
        history: result.history,
        evaluations: result.evaluations,
      },
    };
    return this;
  }

  /** Versioned plain-data form, for JSON.stringify; `loadModel` or the class's `fromJSON` restores it. */
  toJSON(): ModelJSON {
    return stateToJSON(this.fittedState(), this.options);
  }

  /** True once `fit` (or `fromJSON`) has given the model coefficients. */
  get fitted(): boolean {
    return this.state !== null;
  }

  protected fittedState(): FittedState {
    if (this.state === null) throw new Error(`this ${this.constructor.name} is not fitted yet; call fit(X, y) first`);
    return this.state;
  }

  /** The classes, sorted (numerically when all labels are numbers); column order of predictProba. */
  get classes(): Label[] {
    return [...this.fittedState().classes];
  }

  /** Coefficients, K×d (1×d for binary), on the standardized features when `standardize` was on. */
  get coef(): number[][] {
    const s = this.fittedState();
    const K = s.intercept.length;
    return Array.from({ length: K }, (_, k) => Array.from(s.coef.subarray(k * s.nFeatures, (k + 1) * s.nFeatures)));
  }

  /** Intercepts, one per logit. */
  get intercept(): number[] {
    return Array.from(this.fittedState().intercept);
  }

  /** The fit's diagnostics: iterations, convergence, reason, objective, gradient norm, history. */
  get diagnostics(): FitDiagnostics {
    return this.fittedState().diagnostics;
  }

  /** Feature names given to fit, or null. */
  get featureNames(): string[] | null {
    const names = this.fittedState().featureNames;
    return names === null ? null : [...names];
  }

  /** Number of features the model expects. */
  get nFeatures(): number {
    return this.fittedState().nFeatures;
  }

  /** The stored standardization (training mean and population std per feature), or null. */
  get standardization(): { mean: number[]; std: number[] } | null {
    const st = this.fittedState().standardization;
    return st === null ? null : { mean: Array.from(st.mean), std: Array.from(st.std) };
  }

  /**
   * Checks prediction data and applies the stored standardization. The data are copied only when
   * they have to be: to standardize them, or to bring them into kernel memory; they are never
   * modified.
   */
  protected prepare(X: MatrixLike): DenseMatrix {
    const s = this.fittedState();
    const data = checkX(X, 'X', s.standardization !== null);
    if (data.cols !== s.nFeatures) {
      throw new RangeError(`X has ${data.cols} features but the model was fitted with ${s.nFeatures}`);
    }
    if (s.standardization !== null) applyStandardization(data, s.standardization);
    return data;
  }

  /** Logits Z (n×K, row-major) = X·Wᵀ + b on prepared data. */
  protected logitsOf(data: DenseMatrix): Float64Array {
    const s = this.fittedState();
    return linearLogits(data, s, this.options.threads);
  }

  /** Class probabilities, n×(number of classes), columns in `classes` order, each row summing to 1. */
  predictProba(X: MatrixLike): number[][] {
    const P = this.probabilities(X);
    const C = this.fittedState().classes.length;
    return Array.from({ length: P.length / C }, (_, i) => Array.from(P.subarray(i * C, (i + 1) * C)));
  }

  /** `predictProba` as one flat array: n × (number of classes), row-major. */
  probabilities(X: MatrixLike): Float64Array {
    const s = this.fittedState();
    return linearProbabilities(this.prepare(X), this.lossFor(s.intercept.length), s, this.options.threads);
  }

  /** The most probable class of every row (the first in class order on an exact tie). */
  predict(X: MatrixLike): Label[] {
    return mostProbable(this.probabilities(X), this.fittedState().classes);
  }

  /**
   * Runs `use` on an objective over prepared data with this model's loss and the given weights and
   * C, then gives the objective's kernel memory back.
   */
  private withObjective<T>(
    data: DenseMatrix, yIdx: Int32Array, weights: Float64Array | null, C: number,
    use: (ctx: { objective: LinearModelObjective; x: Float64Array; yIdx: Int32Array; weights: Float64Array | null }) => T,
  ): T {
    const s = this.fittedState();
    const K = s.intercept.length;
    const layout = makeLayout(s.nFeatures, K, this.options.fitIntercept);
    const objective = new LinearModelObjective({ X: data, loss: this.lossFor(K), layout, y: yIdx, weights, C, threads: this.options.threads });
    try {
      const x = new Float64Array(layout.dim);
      x.set(s.coef);
      if (layout.fitIntercept) x.set(s.intercept, K * s.nFeatures);
      return use({ objective, x, yIdx, weights });
    } finally {
      objective.release();
    }
  }

  /** `withObjective` on new labelled data (checked, prepared), with or without the class weights. */
  protected withEvaluationObjective<T>(
    X: MatrixLike, y: ArrayLike<Label>, options: EvaluateOptions, C: number, withClassWeights: boolean,
    use: (ctx: { objective: LinearModelObjective; x: Float64Array; yIdx: Int32Array; weights: Float64Array | null }) => T,
  ): T {
    const s = this.fittedState();
    const data = this.prepare(X);
    const labels = checkY(y, data.rows);
    const yIdx = encodeLabels(labels, s.classes);
    const sampleWeight = checkSampleWeight(options.sampleWeight, data.rows);
    const weights = withClassWeights
      ? combineWeights(sampleWeight, classWeights(this.options.classWeight, s.classes, yIdx), yIdx)
      : sampleWeight;
    return this.withObjective(data, yIdx, weights, C, use);
  }

  /**
   * Mean negative log-likelihood on labelled data, −(1/Σwᵢ)·Σᵢ wᵢ·log P(yᵢ | xᵢ), computed from the
   * logits with the same loss module as training (no clipping needed). Class weights do not apply.
   */
  logLoss(X: MatrixLike, y: ArrayLike<Label>, options: EvaluateOptions = {}): number {
    return this.withEvaluationObjective(X, y, options, Infinity, false, ({ objective, x }) => objective.dataLoss(x));
  }

  /** DESIGN.md's objective J of this model on labelled data, with the model's C and class weights. */
  objective(X: MatrixLike, y: ArrayLike<Label>, options: EvaluateOptions = {}): number {
    return this.withEvaluationObjective(X, y, options, this.options.C, true, ({ objective, x }) => objective.value(x));
  }

  /**
   * Statistical inference as statsmodels' Logit / MNLogit report it (see inference.ts): standard
   * errors, z, p-values, 95% intervals, log-likelihood, pseudo-R², AIC, BIC, LR test. Computed on the
   * training data (kept by fit), or on X, y when given (for a model restored from JSON). Throws an
   * InferenceError with a diagnosis under perfect or quasi-complete separation or a singular
   * information matrix; a penalized fit gets a warning in the result.
   */
  summary(X?: MatrixLike, y?: ArrayLike<Label>, options: EvaluateOptions = {}): Inference {
    const s = this.fittedState();
    const infer = (ctx: { objective: LinearModelObjective; yIdx: Int32Array; weights: Float64Array | null; x: Float64Array }) =>
      computeInference({
        objective: ctx.objective, x: ctx.x, K: s.intercept.length, d: s.nFeatures,
        fitIntercept: this.options.fitIntercept, classes: s.classes,
        featureNames: s.featureNames, yIdx: ctx.yIdx, weights: ctx.weights, C: this.options.C, converged: s.diagnostics.converged,
      });
    if (X !== undefined && y !== undefined) return this.withEvaluationObjective(X, y, options, this.options.C, true, infer);
    if (this.training === null) {
      throw new Error(`this ${this.constructor.name} was restored from JSON and has no training data; call summary(X, y)`);
    }
    const { X: data, yIdx, weights } = this.training;
    return this.withObjective(data, yIdx, weights, this.options.C, infer);
  }

  /** Accuracy: the (weighted) fraction of rows whose predicted class is the true one. */
  score(X: MatrixLike, y: ArrayLike<Label>, options: EvaluateOptions = {}): number {
    const pred = this.predict(X);
    const labels = checkY(y, pred.length);
    const w = checkSampleWeight(options.sampleWeight, pred.length);
    let hit = 0;
    let total = 0;
    for (let i = 0; i < pred.length; i++) {
      const wi = w === null ? 1 : w[i]!;
      if (pred[i] === labels[i]) hit += wi;
      total += wi;
    }
    return hit / total;
  }
}

/**
 * The class of largest probability in every row of P (n × classes, row-major), the first in class
 * order on an exact tie.
 */
export function mostProbable(P: Float64Array, classes: readonly Label[]): Label[] {
  const C = classes.length;
  return Array.from({ length: P.length / C }, (_, i) => {
    let best = 0;
    for (let k = 1; k < C; k++) if (P[i * C + k]! > P[i * C + best]!) best = k;
    return classes[best]!;
  });
}

function checkFeatureNames(names: readonly string[] | null | undefined, d: number): string[] | null {
  if (names === null || names === undefined) return null;
  if (!Array.isArray(names)) throw new TypeError(`featureNames must be an array of strings, got ${describe(names)}`);
  if (names.length !== d) throw new RangeError(`featureNames has ${names.length} names but X has ${d} columns`);
  names.forEach((name, j) => {
    if (typeof name !== 'string') throw new TypeError(`featureNames[${j}] must be a string, got ${describe(name)}`);
  });
  return [...names];
}

/** sᵢ = sample weight × class weight of row i's class; null when both are absent (all ones). */
function combineWeights(sample: Float64Array | null, perClass: Float64Array | null, yIdx: Int32Array): Float64Array | null {
  if (sample === null && perClass === null) return null;
  const s = new Float64Array(yIdx.length);
  for (let i = 0; i < yIdx.length; i++) s[i] = (sample === null ? 1 : sample[i]!) * (perClass === null ? 1 : perClass[yIdx[i]!]!);
  return s;
}

/**
 * Starting intercepts at the optimum of the intercept-only model (W = 0): b = logit(p̄) for binary,
 * bₖ = log πₖ − mean log π for softmax, πₖ the weighted class frequencies. Saves the optimizer the
 * first iterations it would spend finding the base rate.
 */
function warmStartIntercept(b: Float64Array, yIdx: Int32Array, s: Float64Array | null, nClasses: number, K: number): void {
  const freq = new Float64Array(nClasses);
  let total = 0;
  for (let i = 0; i < yIdx.length; i++) {
    const w = s === null ? 1 : s[i]!;
    freq[yIdx[i]!] += w;
    total += w;
  }
  // A class of zero total weight gets a floor so that the log stays finite.
  const pi = Array.from(freq, (f) => Math.max(f / total, 1e-12));
  if (K === 1) {
    b[0] = Math.log(pi[1]! / pi[0]!);
    return;
  }
  const logs = pi.map(Math.log);
  const mean = logs.reduce((a, v) => a + v, 0) / K;
  for (let k = 0; k < K; k++) b[k] = logs[k]! - mean;
}

/**
 * Softmax is invariant to adding one vector to every class's coefficients (and one constant to every
 * intercept). The L2 optimum already has Σₖ Wₖ = 0; this makes the returned model canonical in every
 * case (also unpenalized, or when a solver drifted along that flat direction): Σₖ Wₖⱼ = 0, Σₖ bₖ = 0.
 */
function centerAcrossClasses(W: Float64Array, b: Float64Array, K: number, d: number): void {
  for (let j = 0; j < d; j++) {
    let m = 0;
    for (let k = 0; k < K; k++) m += W[k * d + j]!;
    m /= K;
    for (let k = 0; k < K; k++) W[k * d + j] = W[k * d + j]! - m;
  }
  let mb = 0;
  for (let k = 0; k < K; k++) mb += b[k]!;
  mb /= K;
  for (let k = 0; k < K; k++) b[k] = b[k]! - mb;
}

function runSolver(o: ResolvedOptions, objective: LinearModelObjective, x0: Float64Array): OptimizeResult {
  const common = { maxIter: o.maxIter, tol: o.tol, ...(o.onIteration === null ? {} : { onIteration: o.onIteration }) };
  switch (o.solver) {
    case 'auto':
      return lbfgsThenNewton(objective, x0, common);
    case 'newton':
      return newton(objective, x0, common);
    case 'lbfgs':
      return lbfgs(objective, x0, common);
    case 'gd':
      return o.learningRate === null
        ? gradientDescent(objective, x0, { ...common, learningRate: 1, lineSearch: 'armijo' })
        : gradientDescent(objective, x0, { ...common, learningRate: o.learningRate, lineSearch: 'none' });
    case 'sgd':
      return sgd(objective, x0, {
        ...common, learningRate: o.learningRate ?? 1, batchSize: o.batchSize, seed: o.seed,
        schedule: 'invscaling', averaging: true,
      });
  }
}
