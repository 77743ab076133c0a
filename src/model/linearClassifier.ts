import { describe } from '../backend/dense.js';
import { DataError } from '../data/errors.js';
import type { ModelMatrix } from '../backend/modelMatrix.js';
import { type ApplyOptions, type BaseFrame, type Design, type DesignSpec, type Frame, type MissingPolicy, buildDesign } from '../design/modelFrame.js';
import { binomialLoss } from '../loss/binomial.js';
import { makeLayout } from '../loss/layout.js';
import { multinomialLoss } from '../loss/multinomial.js';
import { LinearModelObjective } from '../loss/objective.js';
import type { PointwiseLoss } from '../loss/pointwise.js';
import { linearLogits, linearProbabilities } from '../loss/predict.js';
import type { StopReason } from '../optim/types.js';
import { PROX_NEWTON_MAX_DIM, solve } from './solve.js';
import { type PathFit, type PathGrid, type PathStep, checkGrid, logSpaced } from './path.js';
import { type Label, sortedUniqueLabels } from '../util/labels.js';
import { classList, classWeights, encodeLabels } from './encoding.js';
import { type Inference, InferenceError, type ModelCovariance, findClass, inferWithCovariance } from './inference.js';
import { type CovType, type SummaryOptions, isSummaryOptions, resolveSummaryOptions } from './inference/options.js';
import { type ProbabilityIntervals, probabilityIntervals } from './inference/predictionIntervals.js';
import type { Table } from '../data/table.js';
import { normalCritical } from '../util/distributions.js';
import { clusterIndex, columnClusterIndex } from './inference/groups.js';
import { type SeparationReport, checkSeparation } from './separationCheck.js';
import { type DataLike, isMatrixInput, isTableInput, matrixFrame, tableFrame, tableOf } from './inputs.js';
import { type ModelOptions, type ResolvedOptions, type Solver, resolveOptions } from './options.js';
import { type ModelJSON, stateToJSON } from './serialize.js';
import { type Standardization, applyStandardization, denseStandardization, fitStandardization, publicStandardization } from './standardize.js';
import { checkSampleWeight, checkY } from './validate.js';

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
  /** J at the solution, on the training data (the objective of docs/architecture.md, with the fit's weights and C). */
  objective: number;
  /** ‖∇J‖∞ at the solution. */
  gradNorm: number;
  /** Wall time of the optimizer alone (no validation, standardization or I/O). */
  fitSeconds: number;
  /** J after each iteration, history[0] at the starting point. */
  history: number[];
  /** Objective calls made: full value-and-gradient, Hessian-vector products, mini-batch gradients. */
  evaluations: { valueAndGradient: number; hessVec: number; batch: number };
  /**
   * Unpenalized fits: whether the maximum-likelihood estimate exists, decided exactly on the data
   * (separationCheck.ts); null for penalized fits (whose optimum always exists).
   */
  separation: SeparationReport | null;
}

/** Per-call options of `fit`. */
export interface FitOptions {
  /** Per-row weights (finite, ≥ 0), multiplied by the class weights (matrix input; a table names a column instead). */
  sampleWeight?: ArrayLike<number> | null;
  /** Names of X's columns, stored in the model (the CLI matches prediction data by them). Matrix input. */
  featureNames?: readonly string[] | null;
  /** Table input: the label column (required unless the formula names it). */
  target?: string | null;
  /** Table input: an R-style formula, `target ~ age + race * smoke + C(parity)` (src/design/formula.ts). */
  formula?: string | null;
  /** Table input without a formula: exactly these columns as features. */
  features?: readonly string[] | null;
  /** Table input: columns left out of the features (and of a formula's `.`). */
  exclude?: readonly string[] | null;
  /** Table input: a column of per-row frequency weights. */
  weightColumn?: string | null;
  /** Table input: missing values refused (default), rows dropped, or imputed ('mean'). */
  missing?: MissingPolicy;
}

/** Options of the evaluation methods. */
export interface EvaluateOptions {
  sampleWeight?: ArrayLike<number> | null;
}

/** Everything a fitted model is; what toJSON writes and fromJSON restores. */
export interface FittedState {
  kind: ModelKind;
  classes: Label[];
  /** Coefficient names (the model's columns), or null for a matrix fitted without names. */
  featureNames: string[] | null;
  /** p, the model's columns (coefficients per logit). */
  nFeatures: number;
  /** K×p coefficients (K = 1 for binary), row-major, in featureNames order, on the (standardized, if asked) columns. */
  coef: Float64Array;
  /** K intercepts (zeros when fitIntercept is false). */
  intercept: Float64Array;
  /** Per column (p): the training mean and std of standardized columns; mean 0, std 1 for the others. */
  standardization: Standardization | null;
  diagnostics: FitDiagnostics;
  /** The label column the model was fitted on, when it came from a table. */
  target: string | null;
  /** How a table becomes the model's columns (formula, levels, imputations), for table fits. */
  design: Design | null;
  /** Binary: the covariance of the last summary (model scale), what prediction intervals use; else null. */
  covariance?: ModelCovariance | null;
}

/** Labelled rows scored by `scoreRows`. */
export interface Scored {
  /** n × classes, row-major, columns in model.classes order. */
  probabilities: Float64Array;
  labels: Label[];
  /** Sample weights of the rows (a weight column, or sampleWeight), or null. */
  weights: Float64Array | null;
  /** Mean negative log-likelihood, weighted by `weights` when there are any. */
  logLoss: number;
  /** For a table: the frame (rows used, rows dropped, unknown levels, weights). */
  frame: Frame | null;
}

/** The design spec of a table fit from `fit`'s options (formula or target, columns, weights, missing values). */
export function tableSpec(fitOptions: FitOptions, intercept: boolean): DesignSpec {
  return {
    formula: fitOptions.formula ?? null, target: fitOptions.target ?? null, features: fitOptions.features ?? null,
    exclude: fitOptions.exclude ?? null, weightColumn: fitOptions.weightColumn ?? null, missing: fitOptions.missing ?? 'refuse',
    intercept,
  };
}

/** Model rows ready for the kernels: the model matrix, with `order[j]` its column for coefficient j. */
interface Prepared {
  M: ModelMatrix;
  order: Int32Array;
}

/**
 * The machinery shared by `LogisticRegression` and `SoftmaxRegression`: a linear model with K logits
 * per row, fitted by minimizing the objective J of docs/architecture.md with one of the optimizers of
 * src/optim/. Subclasses only say how many logits they have and which pointwise loss applies.
 */
export abstract class LinearClassifier {
  /** The checked options, every default filled in (C becomes the last step's after fitPath). */
  get options(): ResolvedOptions {
    return this.resolved;
  }
  private resolved: ResolvedOptions;
  /** A grid for the next fitRows to fit along (set by fitPath), and what it gave. */
  private pathRequest: PathGrid | null = null;
  private pathResult: PathFit | null = null;
  protected state: FittedState | null = null;
  /**
   * The training rows as fit saw them (standardized, if asked; in kernel memory), kept after fit so
   * that `summary()` can compute the observed information without the data being passed again.
   * Not serialized; a model restored by fromJSON needs summary(X, y).
   */
  private training: { M: ModelMatrix; order: Int32Array; yIdx: Int32Array; weights: Float64Array | null } | null = null;
  /** The table of the last table fit and its rows in the model matrix (for summary's cluster column). */
  private trainingTable: { table: Table; rows: Uint32Array } | null = null;
  /** What the last table fit left out or noticed (rows dropped for missing values, label warnings), and how long the design took. */
  private frameInfo: { dropped: number; rows: number; warnings: string[]; designSeconds: number } | null = null;

  /** 'binary' or 'softmax'. */
  abstract readonly kind: ModelKind;

  constructor(options?: ModelOptions) {
    this.resolved = resolveOptions(options);
  }

  /** Logits per row for a given number of classes. */
  protected abstract logitCount(nClasses: number): number;

  protected lossFor(K: number): PointwiseLoss {
    return this.kind === 'binary' ? binomialLoss : multinomialLoss(K);
  }

  /** Refuses a class count this model cannot fit (binary needs exactly 2); `what` names the labels ("y", a column). */
  protected checkClasses(classes: readonly Label[], what: string): void {
    if (classes.length < 2) {
      throw new RangeError(`${what} has a single class (${classList(classes)}); a classifier needs at least two classes`);
    }
  }

  /**
   * Fits the model: minimizes J(W, b) = Σᵢ sᵢℓᵢ / Σᵢ sᵢ + ‖W‖²_F / (2·C·Σᵢ sᵢ) over the rows.
   *
   * - `fit(X, y)`: X an n×p matrix (number[][], ml-matrix Matrix or DenseMatrix), y n labels
   *   (numbers or strings); `sampleWeight` and `featureNames` in the options.
   * - `fit(table, null, { target | formula, … })`: a Table (readCsv), an array of records or an
   *   object of columns, with the columns chosen by a formula or by target / features / exclude;
   *   categorical columns are coded as R's glm codes them, missing values handled by `missing`.
   *
   * Every input is checked before any work; the fit's diagnostics tell whether it converged. X is
   * never modified. A DenseMatrix in kernel memory is read in place unless `standardize` is on.
   */
  fit(X: DataLike, y?: ArrayLike<Label> | null, fitOptions: FitOptions = {}): this {
    if (fitOptions === null || typeof fitOptions !== 'object') throw new TypeError(`the fit options must be an object, got ${describe(fitOptions)}`);
    if (X === null || X === undefined) throw new TypeError(`X must be a matrix or a table, got ${describe(X)}`);
    if (isMatrixInput(X)) {
      for (const key of ['target', 'formula', 'features', 'exclude', 'weightColumn', 'missing'] as const) {
        if (fitOptions[key] !== undefined && fitOptions[key] !== null) throw new TypeError(`${key} applies to a table, not to a matrix X`);
      }
      if (y === null || y === undefined) throw new TypeError(`y must be an array of labels, got ${describe(y)}`);
      const { M, order } = matrixFrame(X, 'X', this.options.standardize);
      const labels = checkY(y, M.rows);
      const sampleWeight = checkSampleWeight(fitOptions.sampleWeight, M.rows);
      const names = checkFeatureNames(fitOptions.featureNames, M.cols);
      this.frameInfo = null;
      const classes = sortedUniqueLabels(labels);
      checkLabelKinds(classes);
      return this.fitRows({ M, order }, { classes, yIdx: encodeLabels(labels, classes) }, sampleWeight, names, null, null, 'y');
    }
    if (!isTableInput(X)) throw new TypeError(`X must be a matrix or a table, got ${describe(X)}`);
    if (y !== null && y !== undefined) {
      throw new TypeError('with a table, name the label column (target: "…" or a formula) instead of passing y');
    }
    if (fitOptions.sampleWeight !== undefined && fitOptions.sampleWeight !== null) throw new TypeError('with a table, give the weights as a column (weightColumn)');
    if (fitOptions.featureNames !== undefined && fitOptions.featureNames !== null) throw new TypeError('with a table, choose columns with features, exclude or a formula, not featureNames');
    const table = tableOf(X, 'the table passed to fit');
    return this.fitTable(table, tableSpec(fitOptions, this.options.fitIntercept), null);
  }

  /**
   * Fits on rows `rows` of a table (all when null) under a design spec: what `fit` does with a
   * table, and what the CLI calls (it splits rows for --test-size first). A `base` frame of the
   * table saves building the rows' model matrix when the design learnt is its design (BaseFrame).
   */
  fitTable(table: Parameters<typeof buildDesign>[0], spec: DesignSpec, rows: Uint32Array | null, base: BaseFrame | null = null): this {
    const t0 = performance.now();
    const { design, frame } = buildDesign(table, { ...spec, intercept: spec.intercept ?? this.options.fitIntercept }, rows, this.objectiveBytes(table.n), base);
    if (frame.response === null) throw new Error('the design read no labels');
    this.frameInfo = { dropped: frame.dropped, rows: frame.rows.length, warnings: frame.warnings, designSeconds: (performance.now() - t0) / 1000 };
    this.fitRows(
      { M: frame.matrix, order: frame.order }, frame.response, frame.weights, design.names, design, design.response,
      `${table.source}: the target column ${JSON.stringify(design.response)}`,
    );
    this.trainingTable = { table, rows: frame.rows };
    return this;
  }

  /** Rows left out, warnings, and the seconds the model matrix took, of the last table fit (null after a matrix fit). */
  get fitReport(): { dropped: number; rows: number; warnings: string[]; designSeconds: number } | null {
    return this.frameInfo === null ? null : { ...this.frameInfo, warnings: [...this.frameInfo.warnings] };
  }

  /** Room the objective takes in the model matrix's arena for n rows (labels, weights, partial sums, curvature). */
  private objectiveBytes(n: number): number {
    return n * 12 + (1 << 16);
  }

  /** The fit itself, on prepared rows (standardized here when asked; M is then the caller's copy). */
  private fitRows(
    prep: Prepared, response: { classes: Label[]; yIdx: Int32Array }, sampleWeight: Float64Array | null, names: string[] | null,
    design: Design | null, target: string | null, labelsWhat: string,
  ): this {
    const o = this.options;
    const { M, order } = prep;
    this.trainingTable = null;
    this.checkClasses(response.classes, labelsWhat);
    const { classes, yIdx } = withPositiveClass(response, o.positiveClass, this.kind);
    const weights = combineWeights(sampleWeight, classWeights(o.classWeight, classes, yIdx), yIdx);
    checkClassWeights(classes, yIdx, weights);

    const p = M.cols;
    let standardization: Standardization | null = null;
    if (o.standardize) {
      const dense = fitStandardization(M);
      applyStandardization(M, dense);
      standardization = publicStandardization(dense, order, M.denseCols, p);
    }

    const K = this.logitCount(classes.length);
    // A formula's 0 or -1 removes the intercept whatever the option says.
    const icpt = design === null ? o.fitIntercept : design.intercept;
    const layout = makeLayout(p, K, icpt);
    // J is unchanged when every weight is divided by m and C multiplied by m: the objective works
    // with weights of largest value 1, so that their sum neither overflows nor underflows.
    const scale = weightScale(weights);
    const scaled = weights === null || scale === 1 ? weights : weights.map((w) => w / scale);
    const C = checkC(o.C * scale, o.C, scale, scaled, yIdx.length);
    const x0 = new Float64Array(layout.dim);
    const previous = this.state;
    // The start: a path's given one, or scikit-learn's warm_start (the previous fit's coefficients,
    // same columns and classes), else zero coefficients and the intercept-only model's intercepts.
    const given = this.pathRequest?.start;
    if (given !== undefined && (given.coef.length !== K * p || given.intercept.length !== K)) {
      throw new RangeError(`the path's start has ${given.coef.length} coefficients and ${given.intercept.length} intercepts; this model has ${K * p} and ${K}`);
    }
    const from = given ?? (o.warmStart && previous !== null && previous.nFeatures === p && previous.intercept.length === K
      && previous.classes.length === classes.length && previous.classes.every((c, k) => c === classes[k])
      && (previous.featureNames === null || names === null || previous.featureNames.every((n, j) => n === names[j])) ? previous : null);
    if (from !== null) {
      for (let k = 0; k < K; k++) for (let j = 0; j < p; j++) x0[k * p + order[j]!] = from.coef[k * p + j]!;
      if (icpt) x0.set(from.intercept, K * p);
    } else if (icpt) warmStartIntercept(x0.subarray(K * p), yIdx, scaled, classes.length, K);
    const t0 = performance.now();
    if ((o.penalty === 'l1' || o.penalty === 'elasticnet') && layout.dim > PROX_NEWTON_MAX_DIM) {
      throw new RangeError(`penalty '${o.penalty}' is fitted for up to ${PROX_NEWTON_MAX_DIM} coefficients; this model has ${layout.dim}`);
    }
    const problem = { M, loss: this.lossFor(K), layout, y: yIdx, weights: scaled, C, l1Ratio: o.l1Ratio, K, threads: o.threads };
    let result: ReturnType<typeof solve>;
    if (this.pathRequest !== null) {
      const run = this.runPath(this.pathRequest, problem, x0, order, icpt);
      this.pathResult = run.fit;
      result = run.last;
      this.resolved = { ...o, C: run.fit.steps[run.fit.steps.length - 1]!.C };
    } else {
      result = solve(o, problem, x0);
    }
    const fitSeconds = (performance.now() - t0) / 1000;
    if (!Number.isFinite(result.value) || !result.x.every(Number.isFinite)) {
      const what = Number.isFinite(result.value) ? 'some coefficients became non-finite' : `the objective became ${result.value}`;
      const hint = (o.solver === 'gd' || o.solver === 'sgd') && o.learningRate !== null
        ? `the learning rate ${o.learningRate} is too large: use a smaller one, or solver auto`
        : 'the data hold values so large that the logits overflow: standardize the columns (or scale them)';
      throw new RangeError(`the fit failed: ${what} after ${result.iterations} iterations of ${o.solver}; ${hint}`);
    }
    this.training = { M, order, yIdx, weights };
    const separation = o.penalty === 'none'
      ? checkSeparation(M, order, yIdx, classes, weights, names ?? Array.from({ length: p }, (_, j) => `x${j}`), icpt)
      : null;

    const coef = new Float64Array(K * p);
    for (let k = 0; k < K; k++) for (let j = 0; j < p; j++) coef[k * p + j] = result.x[k * p + order[j]!]!;
    const intercept = icpt ? Float64Array.from(result.x.subarray(K * p)) : new Float64Array(K);
    // Softmax: the data term is the same for every shift of all classes' intercepts, and, without an
    // L1 part, for every shift of a column's coefficients across classes (which the L2 penalty then
    // fixes at Σₖ Wₖⱼ = 0). With an L1 part the penalty decides the coefficients (their optimum is
    // not centred), so only the intercepts are centred.
    if (this.kind === 'softmax') centerAcrossClasses(coef, intercept, K, p, o.l1Ratio === 0);

    this.state = {
      kind: this.kind,
      classes,
      featureNames: names,
      nFeatures: p,
      coef,
      intercept,
      standardization,
      target,
      design,
      diagnostics: {
        solver: o.solver,
        method: result.method,
        iterations: result.iterations,
        converged: result.converged,
        reason: result.reason,
        objective: result.value,
        gradNorm: result.gradNorm,
        fitSeconds,
        history: result.history,
        evaluations: result.evaluations,
        separation,
      },
    };
    return this;
  }

  /**
   * Fits along a grid of λ = 1/(C·S) (see path.ts), from the largest λ down, each fit warm-started at
   * the previous optimum and the solver's Hessian carried over: what `regularizationPath` and
   * `crossValidate` use. Takes the same data and options as `fit`; the model ends fitted at the last
   * (smallest) λ, its C set to that step's. Returns every step.
   */
  fitPath(X: DataLike, y: ArrayLike<Label> | null | undefined, fitOptions: FitOptions, grid: PathGrid): PathFit {
    return this.alongPath(grid, () => this.fit(X, y, fitOptions));
  }

  /** `fitPath` on rows of a table (all when null) under a design spec (as fitTable). */
  fitPathTable(table: Parameters<typeof buildDesign>[0], spec: DesignSpec, rows: Uint32Array | null, grid: PathGrid, base: BaseFrame | null = null): PathFit {
    return this.alongPath(grid, () => this.fitTable(table, spec, rows, base));
  }

  /** Runs a fit with the grid requested, so that fitRows fits along it; returns what it gave. */
  private alongPath(grid: PathGrid, fitting: () => void): PathFit {
    checkGrid(grid);
    this.pathRequest = grid;
    try {
      fitting();
      return this.pathResult!;
    } finally {
      this.pathRequest = null;
      this.pathResult = null;
    }
  }

  /**
   * Held-out rows scored at every step of a path this model fitted (its design and standardization
   * are the fit's): per step the class probabilities (n × classes, row-major), with the rows' labels
   * and weights. A table is read through the design with unknown levels coded zero (a fold's
   * training rows may lack a level its held-out rows have); `rows` picks the table's rows, and a
   * `base` frame of the table saves building their model matrix when it has the fit's design.
   */
  pathProbabilities(
    X: DataLike, y: ArrayLike<Label> | null, steps: readonly PathStep[],
    options: { rows?: Uint32Array | null; weightColumn?: string | null; sampleWeight?: ArrayLike<number> | null; base?: BaseFrame | null } = {},
  ): { probabilities: Float64Array[]; yIdx: Int32Array; weights: Float64Array | null } {
    const s = this.fittedState();
    let prep: Prepared & { frame: Frame | null };
    let labels: Label[];
    let weights: Float64Array | null;
    if (isTableInput(X) && !isMatrixInput(X)) {
      prep = this.prepare(X, {
        labels: true, unknownLevel: 'zero', rows: options.rows ?? null, base: options.base ?? null, ...(options.weightColumn ? { weights: options.weightColumn } : {}),
      });
      labels = prep.frame!.labels!;
      weights = prep.frame!.weights;
    } else {
      prep = this.prepare(X);
      labels = checkY(y as ArrayLike<Label>, prep.M.rows);
      weights = checkSampleWeight(options.sampleWeight, prep.M.rows);
    }
    const yIdx = encodeLabels(labels, s.classes, 'label');
    const K = s.intercept.length;
    const p = s.nFeatures;
    const probabilities = steps.map((step) => {
      const coef = new Float64Array(K * p);
      for (let k = 0; k < K; k++) for (let j = 0; j < p; j++) coef[k * p + prep.order[j]!] = step.coef[k * p + j]!;
      return linearProbabilities(prep.M, this.lossFor(K), { coef, intercept: step.intercept }, this.options.threads);
    });
    return { probabilities, yIdx, weights };
  }

  /** The path itself, inside fitRows: the λ sequence, then one solve per λ. */
  private runPath(
    grid: PathGrid, pb: Parameters<typeof solve>[1], x0: Float64Array, order: Int32Array, icpt: boolean,
  ): { fit: PathFit; last: ReturnType<typeof solve> } {
    const o = this.options;
    const { K, layout } = pb;
    const p = layout.d;
    const { values, kind: gridKind, count, minRatio } = checkGrid(grid);
    // S on the scaled weights the objective sees; λ is per unit of the caller's weights, S·scale of them.
    const objective0 = new LinearModelObjective({ X: pb.M, loss: pb.loss, layout, y: pb.y, weights: pb.weights, C: Infinity, threads: pb.threads });
    let Sscaled: number;
    let gmax = 0;
    const g0 = new Float64Array(layout.dim);
    let f0: number;
    try {
      Sscaled = objective0.weightSum;
      f0 = objective0.valueAndGradient(x0, g0);
      for (let j = 0; j < K * p; j++) gmax = Math.max(gmax, Math.abs(g0[j]!));
    } finally {
      objective0.release();
    }
    const scale = pb.C === Infinity ? 1 : (pb.C / o.C);
    const S = Sscaled * scale;
    const a = o.l1Ratio;
    const lambdaMax = a > 0 ? gmax / a : null;
    let lambdas: number[];
    if (values !== null) lambdas = (gridKind === 'lambda' ? values : values.map((c) => 1 / (c * S))).sort((u, v) => v - u);
    else if (lambdaMax !== null) {
      if (!(lambdaMax > 0)) throw new RangeError('every coefficient is zero at any penalty here (the columns carry no signal at W = 0): there is no path to fit');
      lambdas = logSpaced(lambdaMax, lambdaMax * minRatio, count);
    } else {
      lambdas = logSpaced(1e-4, 1e4, count).map((c) => 1 / (c * S));
    }
    if (o.penalty === 'none') throw new RangeError("a path needs a penalty: use penalty 'l1', 'elasticnet' or 'l2'");
    const cache = { coords: null, H: null, formed: 0 };
    const steps: PathStep[] = [];
    let x = x0;
    let last: ReturnType<typeof solve> | null = null;
    let passes = 0;
    // The smooth part f and ∇f at the last optimum, carried to the next λ: only the ridge (1 − a)·λ
    // on the coefficients changes, so no pass is needed to start there. The first λ starts from
    // the pass at x0 above, which had no ridge (λ = 0).
    let carried: { value: number; gradient: Float64Array; lambda: number } | null = { value: f0, gradient: g0, lambda: 0 };
    for (const lambda of grid.limit === undefined ? lambdas : lambdas.slice(0, grid.limit)) {
      let start: { value: number; gradient: Float64Array } | undefined;
      if (carried !== null) {
        const dr = (1 - a) * (lambda - carried.lambda);
        const gradient = Float64Array.from(carried.gradient);
        let sq = 0;
        for (let j = 0; j < K * p; j++) {
          gradient[j] = gradient[j]! + dr * x[j]!;
          sq += x[j]! * x[j]!;
        }
        start = { value: carried.value + 0.5 * dr * sq, gradient };
      }
      // C on the scaled weights: 1/(λ·S_scaled).
      const r = solve(o, { ...pb, C: 1 / (lambda * Sscaled) }, x, cache, start);
      carried = r.gradient !== undefined && r.smoothValue !== undefined ? { value: r.smoothValue, gradient: r.gradient, lambda } : null;
      if (!Number.isFinite(r.value) || !r.x.every(Number.isFinite)) {
        throw new RangeError(`the fit at λ = ${lambda} (C = ${1 / (lambda * S)}) failed: the objective became ${r.value}`);
      }
      passes += r.evaluations.valueAndGradient;
      x = r.x;
      last = r;
      const coef = new Float64Array(K * p);
      for (let k = 0; k < K; k++) for (let j = 0; j < p; j++) coef[k * p + j] = r.x[k * p + order[j]!]!;
      const intercept = icpt ? Float64Array.from(r.x.subarray(K * p)) : new Float64Array(K);
      if (this.kind === 'softmax') centerAcrossClasses(coef, intercept, K, p, a === 0);
      let nonzero = 0;
      for (let t = 0; t < K * p; t++) if (coef[t] !== 0) nonzero++;
      steps.push({
        C: 1 / (lambda * S), lambda, objective: r.value, nonzero, coef, intercept,
        iterations: r.iterations, converged: r.converged, gradNorm: r.gradNorm,
      });
    }
    return { fit: { steps, lambdas, lambdaMax, weightSum: S, passes, hessians: cache.formed }, last: last! };
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

  /** Coefficients, K×p (1×p for binary), on the standardized columns when `standardize` was on. */
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

  /** The names of the model's columns (coefficients): given to fit, or made by a formula; null if none. */
  get featureNames(): string[] | null {
    const names = this.fittedState().featureNames;
    return names === null ? null : [...names];
  }

  /** Number of columns (coefficients per logit) the model has. */
  get nFeatures(): number {
    return this.fittedState().nFeatures;
  }

  /** Whether the model has intercepts: the option, unless a formula's 0 or -1 removed them. */
  get fitIntercept(): boolean {
    const design = this.fittedState().design;
    return design === null ? this.options.fitIntercept : design.intercept;
  }

  /** The label column of a table fit, or null. */
  get target(): string | null {
    return this.fittedState().target;
  }

  /** The design of a table fit (formula, terms, levels, imputations), or null. */
  get design(): Design | null {
    return this.fittedState().design;
  }

  /** The stored standardization (training mean and population std per column), or null. */
  get standardization(): { mean: number[]; std: number[] } | null {
    const st = this.fittedState().standardization;
    return st === null ? null : { mean: Array.from(st.mean), std: Array.from(st.std) };
  }

  /**
   * Data to predict on, as model rows: a matrix of p columns in coefficient order, or a table
   * coded by the model's design (a model fitted on a matrix with feature names reads a table's
   * columns by those names). The stored standardization is applied to a copy; nothing the caller
   * passed is modified.
   */
  protected prepare(X: DataLike, options: ApplyOptions = {}): Prepared & { frame: Frame | null } {
    const s = this.fittedState();
    let prep: Prepared;
    let frame: Frame | null = null;
    if (X === null || X === undefined) throw new TypeError(`X must be a matrix or a table, got ${describe(X)}`);
    if (isMatrixInput(X)) {
      prep = matrixFrame(X, 'X', s.standardization !== null);
      if (prep.M.cols !== s.nFeatures) {
        throw new RangeError(`X has ${prep.M.cols} columns but the model was fitted with ${s.nFeatures}${s.featureNames === null ? '' : ` (${s.featureNames.slice(0, 6).join(', ')}${s.featureNames.length > 6 ? ', …' : ''})`}`);
      }
    } else if (isTableInput(X)) {
      const design = s.design ?? numericDesign(s);
      frame = tableFrame(design, X, 'the table passed to the model', options);
      prep = { M: frame.matrix, order: frame.order };
    } else {
      throw new TypeError(`X must be a matrix or a table, got ${describe(X)}`);
    }
    if (s.standardization !== null) applyStandardization(prep.M, denseStandardization(s.standardization, prep.order, prep.M.denseCols));
    return { ...prep, frame };
  }

  /** The coefficients in the kernels' column order for `order` (W internal[k][order[j]] = coef[k][j]). */
  private coefficientsFor(order: Int32Array): { coef: Float64Array; intercept: Float64Array } {
    const s = this.fittedState();
    const p = s.nFeatures;
    const K = s.intercept.length;
    const coef = new Float64Array(K * p);
    for (let k = 0; k < K; k++) for (let j = 0; j < p; j++) coef[k * p + order[j]!] = s.coef[k * p + j]!;
    return { coef, intercept: s.intercept };
  }

  /** Logits Z (n×K, row-major) = X·Wᵀ + b on prepared rows. */
  protected logitsOf(prep: Prepared): Float64Array {
    return linearLogits(prep.M, this.coefficientsFor(prep.order), this.options.threads);
  }

  /** Class probabilities, n×(number of classes), columns in `classes` order, each row summing to 1. */
  predictProba(X: DataLike): number[][] {
    const P = this.probabilities(X);
    const C = this.fittedState().classes.length;
    return Array.from({ length: P.length / C }, (_, i) => Array.from(P.subarray(i * C, (i + 1) * C)));
  }

  /**
   * Natural logs of the class probabilities, n × classes, computed from the logits (log-sigmoid /
   * log-softmax: log pₖ = zₖ − logsumexp(z), binary z = (0, z₁)), so they stay finite and exact where
   * a probability underflows to 0 (scikit-learn's predict_log_proba).
   */
  predictLogProba(X: DataLike): number[][] {
    const s = this.fittedState();
    const Z = this.logitsOf(this.prepare(X));
    const K = s.intercept.length;
    const C = s.classes.length;
    const n = Z.length / K;
    return Array.from({ length: n }, (_, i) => {
      const z = K === 1 ? [0, Z[i]!] : Array.from(Z.subarray(i * K, (i + 1) * K));
      const m = Math.max(...z);
      if (!Number.isFinite(m)) return z.map((v) => (v === m ? 0 : -Infinity)).slice(0, C);
      let sum = 0;
      for (const v of z) sum += Math.exp(v - m);
      const lse = m + Math.log(sum);
      return z.map((v) => v - lse);
    });
  }

  /** `predictProba` as one flat array: n × (number of classes), row-major. */
  probabilities(X: DataLike): Float64Array {
    return this.probabilitiesOf(this.prepare(X));
  }

  /** Probabilities of prepared rows. */
  protected probabilitiesOf(prep: Prepared): Float64Array {
    const s = this.fittedState();
    return linearProbabilities(prep.M, this.lossFor(s.intercept.length), this.coefficientsFor(prep.order), this.options.threads);
  }

  /**
   * Probabilities for the rows of a table read through the model's design, with which rows they
   * are: rows with a missing value are left out under the 'drop' policy (refused under 'refuse',
   * imputed under 'mean'); a level not seen in fitting is an error, or all-zero indicators with
   * `unknownLevel: 'zero'`.
   */
  predictTable(X: DataLike, options: { unknownLevel?: 'error' | 'zero' } = {}): {
    probabilities: Float64Array; rows: Uint32Array; dropped: number; unknown: number;
  } {
    if (!isTableInput(X) || isMatrixInput(X)) throw new TypeError('predictTable takes a table (readCsv\'s Table, records or columns)');
    const prep = this.prepare(X, { unknownLevel: options.unknownLevel ?? 'error' });
    const frame = prep.frame!;
    return { probabilities: this.probabilitiesOf(prep), rows: frame.rows, dropped: frame.dropped, unknown: frame.unknown };
  }

  /** The columns a table must have for this model (and which of them are categorical). */
  get inputColumns(): { name: string; kind: 'numeric' | 'categorical' }[] {
    const s = this.fittedState();
    return (s.design ?? numericDesign(s)).sources.map((c) => ({ name: c.name, kind: c.kind }));
  }

  /** The most probable class of every row (the first in class order on an exact tie). */
  predict(X: DataLike): Label[] {
    return mostProbable(this.probabilities(X), this.fittedState().classes);
  }

  /**
   * Runs `use` on an objective over prepared rows with this model's loss and the given weights and
   * C, then gives the objective's kernel memory back.
   */
  private withObjective<T>(
    prep: Prepared, yIdx: Int32Array, weights: Float64Array | null, C: number,
    use: (ctx: { objective: LinearModelObjective; x: Float64Array; yIdx: Int32Array; weights: Float64Array | null; order: Int32Array; M: ModelMatrix }) => T,
  ): T {
    const s = this.fittedState();
    const K = s.intercept.length;
    const p = s.nFeatures;
    const layout = makeLayout(p, K, this.fitIntercept);
    const objective = new LinearModelObjective({
      X: prep.M, loss: this.lossFor(K), layout, y: yIdx, weights, C, l1Ratio: this.options.l1Ratio, threads: this.options.threads,
    });
    try {
      const x = new Float64Array(layout.dim);
      x.set(this.coefficientsFor(prep.order).coef);
      if (layout.fitIntercept) x.set(s.intercept, K * p);
      return use({ objective, x, yIdx, weights, order: prep.order, M: prep.M });
    } finally {
      objective.release();
    }
  }

  /** `withObjective` on new labelled data (checked, prepared), with or without the class weights. */
  protected withEvaluationObjective<T>(
    X: DataLike, y: ArrayLike<Label> | null | undefined, options: EvaluateOptions, C: number, withClassWeights: boolean,
    use: (ctx: { objective: LinearModelObjective; x: Float64Array; yIdx: Int32Array; weights: Float64Array | null; order: Int32Array; M: ModelMatrix }) => T,
  ): T {
    const s = this.fittedState();
    const { labels, weights: sampleWeight, prep } = this.labelled(X, y, options);
    const yIdx = encodeLabels(labels, s.classes);
    const weights = withClassWeights
      ? combineWeights(sampleWeight, classWeights(this.options.classWeight, s.classes, yIdx), yIdx)
      : sampleWeight;
    return this.withObjective(prep, yIdx, weights, C, use);
  }

  /**
   * Labelled rows: a matrix with y (and sampleWeight), or a table whose target (and weight) column
   * the model knows (y then omitted).
   */
  protected labelled(X: DataLike, y: ArrayLike<Label> | null | undefined, options: EvaluateOptions): {
    labels: Label[]; weights: Float64Array | null; prep: Prepared;
  } {
    if (isTableInput(X) && !isMatrixInput(X)) {
      if (y !== null && y !== undefined) throw new TypeError('with a table, the labels are its target column; do not pass y');
      const s = this.fittedState();
      if (s.target === null) throw new TypeError('this model was fitted on a matrix: pass a matrix X and labels y');
      const prep = this.prepare(X, { labels: true, weights: options.sampleWeight === undefined });
      const frame = prep.frame!;
      const w = options.sampleWeight !== undefined ? checkSampleWeight(options.sampleWeight, frame.rows.length) : frame.weights;
      return { labels: frame.labels!, weights: w, prep };
    }
    const prep = this.prepare(X);
    const labels = checkY(y as ArrayLike<Label>, prep.M.rows);
    return { labels, weights: checkSampleWeight(options.sampleWeight, prep.M.rows), prep };
  }

  /**
   * Mean negative log-likelihood on labelled data, −(1/Σwᵢ)·Σᵢ wᵢ·log P(yᵢ | xᵢ), computed from the
   * logits with the same loss module as training (no clipping needed). Class weights do not apply.
   */
  logLoss(X: DataLike, y?: ArrayLike<Label> | null, options: EvaluateOptions = {}): number {
    return this.withEvaluationObjective(X, y, options, Infinity, false, ({ objective, x }) => objective.dataLoss(x));
  }

  /** The objective J of this model on labelled data, with the model's C and class weights. */
  objective(X: DataLike, y?: ArrayLike<Label> | null, options: EvaluateOptions = {}): number {
    return this.withEvaluationObjective(X, y, options, this.options.C, true, ({ objective, x }) => objective.fullValue(x));
  }

  /**
   * Statistical inference as statsmodels' Logit / MNLogit report it (see inference.ts): standard
   * errors of the chosen covariance type (nonrobust, hc0 … hc3, cluster), z, p-values, intervals at
   * the chosen level, log-likelihood, pseudo-R², AIC, BIC, LR test, and on request odds ratios,
   * marginal effects and Wald tests (SummaryOptions). Computed on the training data (kept by fit):
   * `summary(options)`; or on X, y (a model restored from JSON): `summary(X, y, options)`. Throws
   * an InferenceError with a diagnosis under perfect or quasi-complete separation or a singular
   * information matrix; a penalized fit gets a warning in the result. A binary model keeps the
   * covariance (on its own scale) for `predictIntervals` and writes it to its JSON.
   */
  summary(options?: SummaryOptions): Inference;
  summary(X: DataLike | undefined, y?: ArrayLike<Label> | null, options?: SummaryOptions & EvaluateOptions): Inference;
  summary(X?: DataLike | SummaryOptions, y?: ArrayLike<Label> | null, options: SummaryOptions & EvaluateOptions = {}): Inference {
    let data: DataLike | undefined;
    if (X !== undefined && y === undefined && isSummaryOptions(X)) options = X;
    else data = X as DataLike | undefined;
    const so = resolveSummaryOptions(options, ['sampleWeight']);
    const s = this.fittedState();
    const o = this.options;
    if (o.l1Ratio > 0) {
      throw new InferenceError(
        'l1-penalty',
        `standard errors are not available for a fit with an L1 penalty (penalty '${o.penalty}'): the columns it keeps were chosen by the same data, so the usual errors and p-values would be too small (post-selection inference); refit the kept columns with penalty 'none' (or 'l2') for them`,
      );
    }
    const names = s.featureNames ?? Array.from({ length: s.nFeatures }, (_, j) => `x${j}`);
    const infer = (fitted: boolean, groups: (M: ModelMatrix) => Int32Array | null) => (ctx: { objective: LinearModelObjective; yIdx: Int32Array; weights: Float64Array | null; x: Float64Array; order: Int32Array; M: ModelMatrix }) => {
      const result = inferWithCovariance({
        objective: ctx.objective, x: ctx.x, K: s.intercept.length, d: s.nFeatures, order: ctx.order,
        fitIntercept: this.fitIntercept, classes: s.classes,
        featureNames: s.featureNames, yIdx: ctx.yIdx, weights: ctx.weights, C: o.C,
        separation: o.penalty !== 'none' ? null
          : fitted ? s.diagnostics.separation : checkSeparation(ctx.M, ctx.order, ctx.yIdx, s.classes, ctx.weights, names, this.fitIntercept),
        M: ctx.M, standardization: s.standardization, options: so, groups: groups(ctx.M), threads: o.threads,
      });
      if (s.kind === 'binary') s.covariance = result.model;
      return result.inference;
    };
    const g = so.groups;
    if (data !== undefined) {
      const groupsOf = (M: ModelMatrix): Int32Array | null => {
        if (g === null) return null;
        if (typeof g !== 'string') return clusterIndex(g, null, M.rows, 'groups');
        if (!isTableInput(data) || isMatrixInput(data)) throw new TypeError('groups names a column, but the data passed to summary are a matrix: pass one cluster id per row');
        const table = tableOf(data, 'the table passed to summary');
        if (table.n !== M.rows) throw new RangeError(`groups: ${table.n - M.rows} rows of the table were left out (missing values), so the column cannot be matched to the rows; pass one cluster id per row used`);
        return columnClusterIndex(table, g, null);
      };
      return this.withEvaluationObjective(data, y, options, o.C, true, infer(false, groupsOf));
    }
    if (this.training === null) {
      throw new Error(`this ${this.constructor.name} was restored from JSON and has no training data; call summary(X, y)`);
    }
    const { M, order, yIdx, weights } = this.training;
    const source = this.trainingTable;
    const groupsOf = (): Int32Array | null => {
      if (g === null) return null;
      if (typeof g === 'string') {
        if (source === null) throw new TypeError('groups names a column, but the model was fitted on a matrix: pass one cluster id per row');
        return columnClusterIndex(source.table, g, source.rows);
      }
      return source === null ? clusterIndex(g, null, M.rows, 'groups') : clusterIndex(g, source.rows, source.table.n, 'groups');
    };
    return this.withObjective({ M, order }, yIdx, weights, o.C, infer(true, groupsOf));
  }

  /**
   * Binary models: P(positive class) for every row of X with a confidence interval at `confLevel`
   * (default 0.95) from the delta method on the linear predictor, [σ(η − z·se(η)), σ(η + z·se(η))],
   * se(η)² = x̃ᵀVx̃, V the covariance the last `summary()` stored (also read from a model file).
   * A table is read by the model's design; `rows` then says which of its rows the values are for.
   */
  predictIntervals(X: DataLike, options: { confLevel?: number; unknownLevel?: 'error' | 'zero' } = {}): ProbabilityIntervals & { rows: Uint32Array | null } {
    const s = this.fittedState();
    if (s.kind !== 'binary') {
      throw new TypeError('prediction intervals are for binary models: a softmax model\'s probabilities are several, with no interval of this kind');
    }
    const level = options.confLevel ?? 0.95;
    if (typeof level !== 'number' || !(level > 0 && level < 1)) throw new RangeError(`confLevel must be a number between 0 and 1 (exclusive), got ${describe(level)}`);
    normalCritical(level);
    const cov = s.covariance;
    if (cov === undefined || cov === null) {
      throw new Error('this model carries no covariance: call summary() on it first (the command: train --summary --out model.json), which stores the covariance intervals need');
    }
    const prep = this.prepare(X, isTableInput(X) && !isMatrixInput(X) ? { unknownLevel: options.unknownLevel ?? 'error' } : {});
    const theta = [...(this.fitIntercept ? [s.intercept[0]!] : []), ...s.coef];
    const r = probabilityIntervals(prep.M, prep.order, this.fitIntercept, theta, cov.matrix, level, this.options.threads);
    return { ...r, rows: prep.frame === null ? null : prep.frame.rows };
  }

  /** The covariance of the parameters a binary model's last summary stored (model scale), or null. */
  get covariance(): { type: CovType; names: string[]; matrix: number[][] } | null {
    const c = this.fittedState().covariance;
    if (c === undefined || c === null) return null;
    const m = c.names.length;
    return { type: c.type, names: [...c.names], matrix: Array.from({ length: m }, (_, r) => Array.from(c.matrix.subarray(r * m, (r + 1) * m))) };
  }

  /** Binary: the class whose probability the logit gives (classes[1]; chosen with positiveClass). Softmax: null. */
  get positiveClass(): Label | null {
    const s = this.fittedState();
    return s.kind === 'binary' ? s.classes[1]! : null;
  }

  /**
   * Labelled rows scored: the class probabilities (n × classes, row-major) and the mean negative
   * log-likelihood (unweighted, from the logits: exact however confident the model). A table is read
   * by the model's design; `frame` then says which of its rows were used (rows with a missing value
   * are left out under the 'drop' policy, and rows without a label always).
   */
  scoreRows(
    X: DataLike, y?: ArrayLike<Label> | null,
    options: {
      unknownLevel?: 'error' | 'zero'; rows?: Uint32Array | null; target?: string | null; weightColumn?: string | null; sampleWeight?: ArrayLike<number> | null;
    } = {},
  ): Scored {
    const s = this.fittedState();
    let prep: Prepared & { frame: Frame | null };
    let labels: Label[];
    let weights: Float64Array | null;
    if (isTableInput(X) && !isMatrixInput(X)) {
      if (y !== null && y !== undefined) throw new TypeError('with a table, the labels are its target column; do not pass y');
      if (s.target === null) throw new TypeError('this model was fitted on a matrix: pass a matrix X and labels y');
      prep = this.prepare(X, {
        labels: options.target ?? true, unknownLevel: options.unknownLevel ?? 'error', rows: options.rows ?? null,
        ...(options.weightColumn ? { weights: options.weightColumn } : {}),
      });
      labels = prep.frame!.labels!;
      weights = prep.frame!.weights;
      checkKnownLabels(labels, s.classes, X, prep.frame!, options.target ?? s.target);
    } else {
      prep = this.prepare(X);
      labels = checkY(y as ArrayLike<Label>, prep.M.rows);
      weights = checkSampleWeight(options.sampleWeight, prep.M.rows);
    }
    return this.scorePrepared(prep, encodeLabels(labels, s.classes, 'label'), labels, weights, prep.frame);
  }

  /**
   * The fit's rows as fit saw them (no second model matrix, no per-row output): their number, mean
   * log loss (unweighted) and accuracy, in one pass of the kernels. Training data are not kept by a
   * model restored from JSON.
   */
  trainingScores(): { n: number; logLoss: number; accuracy: number } {
    if (this.training === null) throw new Error(`this ${this.constructor.name} has no training data (restored from JSON)`);
    const { M, order, yIdx } = this.training;
    const { loss, correct } = this.withObjective({ M, order }, yIdx, null, Infinity, ({ objective, x }) => objective.lossAndCorrect(x));
    return { n: yIdx.length, logLoss: loss, accuracy: correct / yIdx.length };
  }

  private scorePrepared(prep: Prepared, yIdx: Int32Array, labels: Label[], weights: Float64Array | null, frame: Frame | null): Scored {
    const probabilities = this.probabilitiesOf(prep);
    let logLoss = this.withObjective(prep, yIdx, weights, Infinity, ({ objective, x }) => objective.dataLoss(x));
    if (Number.isNaN(logLoss)) {
      // Logits that overflowed (inputs near the float64 limit) make the kernels' loss NaN: the loss
      // is then −log of the probabilities, which predictions recompute exactly (loss/predict.ts);
      // a confident mistake is +∞.
      const C = this.fittedState().classes.length;
      let sum = 0;
      let total = 0;
      for (let i = 0; i < yIdx.length; i++) {
        const w = weights === null ? 1 : weights[i]!;
        sum += w * -Math.log(probabilities[i * C + yIdx[i]!]!);
        total += w;
      }
      logLoss = sum / total;
    }
    return { probabilities, labels, weights, logLoss, frame };
  }

  /** Accuracy: the (weighted) fraction of rows whose predicted class is the true one. */
  score(X: DataLike, y?: ArrayLike<Label> | null, options: EvaluateOptions = {}): number {
    const { labels, weights, prep } = this.labelled(X, y, options);
    const pred = mostProbable(this.probabilitiesOf(prep), this.fittedState().classes);
    let hit = 0;
    let total = 0;
    for (let i = 0; i < pred.length; i++) {
      const wi = weights === null ? 1 : weights[i]!;
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
  const seen = new Map<string, number>();
  names.forEach((name, j) => {
    if (typeof name !== 'string') throw new TypeError(`featureNames[${j}] must be a string, got ${describe(name)}`);
    if (seen.has(name)) throw new RangeError(`featureNames names ${JSON.stringify(name)} twice (at ${seen.get(name)} and ${j})`);
    seen.set(name, j);
  });
  return [...names];
}

/** A label the model does not know, in a table: a DataError naming its line (row) and column. */
function checkKnownLabels(labels: readonly Label[], classes: readonly Label[], X: DataLike, frame: Frame, column: string): void {
  const known = new Set<Label>(classes);
  const i = labels.findIndex((l) => !known.has(l));
  if (i < 0) return;
  const table = tableOf(X as Parameters<typeof tableOf>[0], 'the table');
  throw new DataError(table.source, `${JSON.stringify(labels[i])} is not one of the model's classes (${classList(classes)})`, { ...table.locate(frame.rows[i]!), column });
}

/** Labels 1 and "1" together would be two classes printed alike: refused. */
function checkLabelKinds(classes: readonly Label[]): void {
  const byText = new Map<string, Label>();
  for (const c of classes) {
    const t = String(c);
    const other = byText.get(t);
    if (other !== undefined) {
      throw new TypeError(`the labels include both the number ${t} and the string "${t}"; give every label as the same kind`);
    }
    byText.set(t, c);
  }
}

/** A class whose rows all weigh 0 cannot be fitted: refused, naming it. */
function checkClassWeights(classes: readonly Label[], yIdx: Int32Array, weights: Float64Array | null): void {
  if (weights === null) return;
  const total = new Float64Array(classes.length);
  for (let i = 0; i < yIdx.length; i++) total[yIdx[i]!] += weights[i]!;
  const zero = classes.filter((_, k) => !(total[k]! > 0));
  if (zero.length > 0) {
    throw new RangeError(`the class${zero.length > 1 ? 'es' : ''} ${classList(zero)} ${zero.length > 1 ? 'have' : 'has'} zero total weight, so ${zero.length > 1 ? 'they' : 'it'} cannot be fitted; give ${zero.length > 1 ? 'their' : 'its'} rows positive weights or leave them out`);
  }
}

/**
 * The response with the positive class chosen (binary): classes [other, positive], class indices
 * swapped when the chosen one sorted first. Refused for softmax and for a label not among the classes.
 */
function withPositiveClass(response: { classes: Label[]; yIdx: Int32Array }, positive: Label | null, kind: ModelKind): { classes: Label[]; yIdx: Int32Array } {
  if (positive === null) return response;
  if (kind !== 'binary') throw new TypeError('positiveClass applies to binary models; a softmax model has no positive class (its summary takes a referenceClass)');
  const k = findClass(response.classes, positive);
  if (k < 0) throw new RangeError(`positiveClass ${JSON.stringify(positive)} is not one of the labels (${classList(response.classes)})`);
  if (k === 1) return response;
  return { classes: [response.classes[1]!, response.classes[0]!], yIdx: response.yIdx.map((c) => 1 - c) };
}

/** The largest weight (1 without weights): dividing weights by it keeps Σw finite and normal. */
function weightScale(weights: Float64Array | null): number {
  if (weights === null) return 1;
  let m = 0;
  for (let i = 0; i < weights.length; i++) if (weights[i]! > m) m = weights[i]!;
  return m > 0 ? m : 1;
}

/**
 * C for the weights divided by their largest (`scale`), refused when the penalty 1/(C·S) overflows:
 * every coefficient would then be 0 (C far too small for weights this small).
 */
function checkC(C: number, given: number, scale: number, weights: Float64Array | null, n: number): number {
  if (!Number.isFinite(C)) return Infinity;
  let S = n;
  if (weights !== null) {
    S = 0;
    for (let i = 0; i < weights.length; i++) S += weights[i]!;
  }
  checkPenaltyFinite(C, given, scale, S);
  return C;
}

/**
 * Refuses a scaled C (`given` × `scale`) whose penalty 1/(C·S) overflows, S the sum of the scaled
 * weights: every coefficient would be 0. Shared with the fits outside memory (src/engine).
 */
export function checkPenaltyFinite(C: number, given: number, scale: number, S: number): void {
  if (Number.isFinite(1 / (C * S))) return;
  throw new RangeError(
    scale === 1
      ? `C = ${given} is too small: the penalty 1/(C·Σweights) overflows and every coefficient would be 0; use a C above 1e-300`
      : `C = ${given} is too small for weights this small (they sum to ${S * scale}): the penalty 1/(C·Σweights) overflows and every coefficient would be 0; scale the weights up or raise C`,
  );
}

/** sᵢ = sample weight × class weight of row i's class; null when both are absent (all ones). */
function combineWeights(sample: Float64Array | null, perClass: Float64Array | null, yIdx: Int32Array): Float64Array | null {
  if (sample === null && perClass === null) return null;
  const s = new Float64Array(yIdx.length);
  for (let i = 0; i < yIdx.length; i++) s[i] = (sample === null ? 1 : sample[i]!) * (perClass === null ? 1 : perClass[yIdx[i]!]!);
  return s;
}


/**
 * The design of a model fitted on a named matrix: every feature a numeric column of that name, so
 * that a table's columns are read by name (missing values refused).
 */
function numericDesign(s: FittedState): Design {
  if (s.featureNames === null) {
    throw new TypeError('this model was fitted on a matrix without feature names: pass a matrix of its columns, not a table');
  }
  return {
    response: s.target ?? '',
    formula: null,
    intercept: true,
    weightColumn: null,
    missing: 'refuse',
    sources: s.featureNames.map((name) => ({ name, kind: 'numeric', impute: null, missingLevel: false })),
    factors: s.featureNames.map((name) => ({ column: name, categorical: false, label: name, levels: null, values: null })),
    terms: s.featureNames.map((_, k) => ({ factors: [k], columnOrder: [0], codings: ['numeric'] })),
    names: [...s.featureNames],
  };
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
  interceptsFromFrequencies(b, freq, total, K);
}

/**
 * Intercepts at the intercept-only optimum from weighted class frequencies (`freq` summing to
 * `total`): b = logit(π₁) for binary (K = 1), bₖ = log πₖ − mean log π for softmax. Shared with the
 * fits outside memory, which sum the frequencies in row order as warmStartIntercept does.
 */
export function interceptsFromFrequencies(b: Float64Array, freq: Float64Array, total: number, K: number): void {
  const pi = Array.from(freq, (f) => f / total);
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
export function centerAcrossClasses(W: Float64Array, b: Float64Array, K: number, d: number, coefficients = true): void {
  for (let j = 0; coefficients && j < d; j++) {
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
