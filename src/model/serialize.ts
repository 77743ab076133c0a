import { describe } from '../backend/dense.js';
import { type Design, checkDesign } from '../design/modelFrame.js';
import type { StopReason } from '../optim/types.js';
import type { Label } from '../util/labels.js';
import type { FitDiagnostics, FittedState, ModelKind } from './linearClassifier.js';
import type { SeparationReport } from './separationCheck.js';
import { type ModelOptions, type Penalty, type ResolvedOptions, SOLVERS, type Solver } from './options.js';
import { COV_TYPES, type CovType } from './inference/options.js';

/** The format tag and version written by `toJSON`; `fromJSON` reads this version. */
export const MODEL_FORMAT = 'logreg-model';
export const MODEL_VERSION = 2;

/**
 * The JSON form of a fitted model (plain data: numbers, strings, arrays, objects). Version 2 adds
 * `target` and `design` (table fits: formula, terms, levels, imputations); version 1 files (which
 * have neither) are still read.
 */
export interface ModelJSON {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_VERSION;
  model: ModelKind;
  classes: Label[];
  /** The label column, or null for a model fitted on a matrix without one. */
  target: string | null;
  /** Coefficient names (the model's columns). */
  featureNames: string[] | null;
  nFeatures: number;
  /** K×d: one row for binary, one per class for softmax. */
  coef: number[][];
  intercept: number[];
  standardization: { mean: number[]; std: number[] } | null;
  /** How a table's columns become the model's (src/design/modelFrame.ts), or null for a matrix fit. */
  design: Design | null;
  /** The options the model was fitted with; C is null when there is no penalty. */
  options: {
    C: number | null; penalty: Penalty; l1Ratio?: number; solver: Solver; maxIter: number; tol: number;
    classWeight: ResolvedOptions['classWeight']; standardize: boolean; fitIntercept: boolean; seed: number;
    learningRate: number | null; batchSize: number;
    /** Present when the model was fitted with a chosen positive class (binary). */
    positiveClass?: Label;
  };
  diagnostics: FitDiagnostics;
  /**
   * Optional: the covariance of the binary model's parameters (intercept, then the coefficients in
   * featureNames order, on the model's own, standardized if so, scale) of its last `summary()`, of
   * type `type`: what `predict --intervals` needs. Files without it are read as before.
   */
  covariance?: { type: CovType; names: string[]; matrix: number[][] };
}

/** Writes a fitted state and its options as `ModelJSON`. */
export function stateToJSON(state: FittedState, o: ResolvedOptions): ModelJSON {
  const K = state.intercept.length;
  const d = state.nFeatures;
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    model: state.kind,
    classes: [...state.classes],
    target: state.target,
    featureNames: state.featureNames === null ? null : [...state.featureNames],
    nFeatures: d,
    coef: Array.from({ length: K }, (_, k) => Array.from(state.coef.subarray(k * d, (k + 1) * d))),
    intercept: Array.from(state.intercept),
    standardization: state.standardization === null
      ? null
      : { mean: Array.from(state.standardization.mean), std: Array.from(state.standardization.std) },
    design: state.design,
    options: {
      C: Number.isFinite(o.C) ? o.C : null, penalty: o.penalty, ...(o.penalty === 'elasticnet' ? { l1Ratio: o.l1Ratio } : {}), solver: o.solver, maxIter: o.maxIter, tol: o.tol,
      classWeight: o.classWeight, standardize: o.standardize, fitIntercept: state.design?.intercept ?? o.fitIntercept, seed: o.seed,
      learningRate: o.learningRate, batchSize: o.batchSize,
      ...(o.positiveClass === null ? {} : { positiveClass: o.positiveClass }),
    },
    diagnostics: { ...state.diagnostics, history: [...state.diagnostics.history] },
    ...(state.covariance ? { covariance: covarianceToJSON(state.covariance) } : {}),
  };
}

function covarianceToJSON(c: NonNullable<FittedState['covariance']>): NonNullable<ModelJSON['covariance']> {
  const m = c.names.length;
  return { type: c.type, names: [...c.names], matrix: Array.from({ length: m }, (_, r) => Array.from(c.matrix.subarray(r * m, (r + 1) * m))) };
}

/** The optional covariance of a model file: m names and an m×m symmetric matrix of finite numbers, m = the binary model's parameters. */
function covarianceOf(v: unknown, m: number): FittedState['covariance'] {
  if (v === null || v === undefined) return null;
  if (!isRecord(v)) fail('"covariance" must be an object');
  if (!COV_TYPES.includes(v.type as CovType)) fail(`covariance.type must be one of ${COV_TYPES.join(', ')}, got ${describe(v.type)}`);
  if (!Array.isArray(v.names) || v.names.length !== m || !v.names.every((n) => typeof n === 'string')) fail(`covariance.names must be ${m} names (the intercept, then the features)`);
  if (!Array.isArray(v.matrix) || v.matrix.length !== m) fail(`covariance.matrix must have ${m} rows`);
  const matrix = new Float64Array(m * m);
  (v.matrix as unknown[]).forEach((row, r) => matrix.set(finiteArray(row, m, `covariance.matrix[${r}]`), r * m));
  for (let r = 0; r < m; r++) for (let c = 0; c < r; c++) if (matrix[r * m + c] !== matrix[c * m + r]) fail('covariance.matrix must be symmetric');
  return { type: v.type as CovType, names: [...(v.names as string[])], matrix };
}

function fail(what: string): never {
  throw new TypeError(`not a logreg model: ${what}`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function finiteArray(v: unknown, len: number, what: string): Float64Array {
  if (!Array.isArray(v) || v.length !== len) fail(`${what} must be an array of ${len} numbers, got ${describe(v)}`);
  const out = new Float64Array(len);
  v.forEach((x, i) => {
    if (typeof x !== 'number' || !Number.isFinite(x)) fail(`${what}[${i}] must be a finite number, got ${describe(x)}`);
    out[i] = x;
  });
  return out;
}

/** The separation verdict of a model file (null when absent, as in version 1 files). */
function separationOf(v: unknown): SeparationReport | null {
  if (v === null || v === undefined) return null;
  if (!isRecord(v) || !['none', 'complete', 'quasi-complete', 'not-checked'].includes(v.status as string)) fail('diagnostics.separation is malformed');
  const columns = Array.isArray(v.columns) ? v.columns.filter((c): c is string => typeof c === 'string') : [];
  return { status: v.status as SeparationReport['status'], columns, rowsOnBoundary: typeof v.rowsOnBoundary === 'number' ? v.rowsOnBoundary : 0 };
}

const REASONS: readonly StopReason[] = ['gradient-tolerance', 'no-progress', 'max-iterations', 'line-search-failed', 'non-finite'];

/**
 * Reads and checks `ModelJSON` (an object, or a JSON string). Every field is checked for kind and
 * shape; anything else is a TypeError whose message starts "not a logreg model:".
 * Returns the fitted state and the options to construct the model with.
 */
export function parseModelJSON(json: unknown): { state: FittedState; options: ModelOptions } {
  let v: unknown = json;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch (e) {
      fail(`the text is not valid JSON (${(e as Error).message})`);
    }
  }
  if (!isRecord(v)) fail(`expected an object, got ${describe(v)}`);
  if (v.format !== MODEL_FORMAT) fail(`its "format" is ${describe(v.format)}, expected "${MODEL_FORMAT}"`);
  if (v.version !== 1 && v.version !== MODEL_VERSION) fail(`version ${describe(v.version)} is not supported (this logreg reads versions 1 and ${MODEL_VERSION})`);
  const kind = v.model;
  if (kind !== 'binary' && kind !== 'softmax') fail(`"model" must be "binary" or "softmax", got ${describe(kind)}`);
  const classes = v.classes;
  if (!Array.isArray(classes) || classes.length < 2) fail(`"classes" must list at least two classes`);
  classes.forEach((c, k) => {
    if (typeof c !== 'string' && (typeof c !== 'number' || !Number.isFinite(c))) fail(`classes[${k}] must be a number or a string`);
  });
  if (new Set(classes).size !== classes.length) fail('"classes" has a repeated class');
  if (kind === 'binary' && classes.length !== 2) fail(`a binary model has 2 classes, this one lists ${classes.length}`);
  const d = v.nFeatures;
  if (typeof d !== 'number' || !Number.isInteger(d) || d < 1) fail(`"nFeatures" must be a positive integer, got ${describe(d)}`);
  const K = kind === 'binary' ? 1 : classes.length;
  if (!Array.isArray(v.coef) || v.coef.length !== K) fail(`"coef" must have ${K} row(s)`);
  // Sizes are checked against the arrays themselves before anything is allocated from them.
  (v.coef as unknown[]).forEach((row, k) => {
    if (!Array.isArray(row) || row.length !== d) fail(`coef[${k}] must be an array of ${d} numbers ("nFeatures"), got ${describe(row)}`);
  });
  const coef = new Float64Array(K * d);
  (v.coef as unknown[]).forEach((row, k) => coef.set(finiteArray(row, d, `coef[${k}]`), k * d));
  const intercept = finiteArray(v.intercept, K, 'intercept');
  let featureNames: string[] | null = null;
  if (v.featureNames !== null && v.featureNames !== undefined) {
    if (!Array.isArray(v.featureNames) || v.featureNames.length !== d || !v.featureNames.every((n) => typeof n === 'string')) {
      fail(`"featureNames" must be ${d} strings or null`);
    }
    featureNames = [...(v.featureNames as string[])];
  }
  let standardization: FittedState['standardization'] = null;
  if (v.standardization !== null && v.standardization !== undefined) {
    if (!isRecord(v.standardization)) fail('"standardization" must be an object or null');
    const mean = finiteArray(v.standardization.mean, d, 'standardization.mean');
    const std = finiteArray(v.standardization.std, d, 'standardization.std');
    std.forEach((s, j) => {
      if (!(s > 0)) fail(`standardization.std[${j}] must be positive, got ${s}`);
    });
    standardization = { mean, std };
  }
  let target: string | null = null;
  if (v.target !== null && v.target !== undefined) {
    if (typeof v.target !== 'string') fail(`"target" must be a column name or null, got ${describe(v.target)}`);
    target = v.target;
  }
  let design: Design | null = null;
  if (v.design !== null && v.design !== undefined) {
    try {
      design = checkDesign(v.design, d);
    } catch (e) {
      fail((e as Error).message);
    }
    if (featureNames === null || featureNames.some((n, j) => n !== design!.names[j])) fail('"featureNames" must be the design\'s column names');
  }
  const o = v.options;
  if (!isRecord(o)) fail('"options" must be an object');
  if (!SOLVERS.includes(o.solver as Solver)) fail(`options.solver ${describe(o.solver)} is not a solver`);
  const options: ModelOptions = {
    penalty: o.penalty as ModelOptions['penalty'],
    ...(o.penalty === 'elasticnet' ? { l1Ratio: o.l1Ratio as number } : {}),
    solver: o.solver as Solver,
    maxIter: o.maxIter as number,
    tol: o.tol as number,
    classWeight: (o.classWeight ?? null) as ModelOptions['classWeight'],
    standardize: o.standardize as boolean,
    fitIntercept: o.fitIntercept as boolean,
    seed: o.seed as number,
    learningRate: (o.learningRate ?? null) as number | null,
    ...(o.solver === 'sgd' ? { batchSize: o.batchSize as number } : {}),
    ...(o.C === null ? {} : { C: o.C as number }),
    ...(o.positiveClass === undefined || o.positiveClass === null ? {} : { positiveClass: o.positiveClass as Label }),
  };
  if (options.standardize !== (standardization !== null)) fail('options.standardize disagrees with "standardization"');
  const dg = v.diagnostics;
  if (!isRecord(dg)) fail('"diagnostics" must be an object');
  const num = (key: string): number => {
    const x = dg[key];
    if (typeof x !== 'number') fail(`diagnostics.${key} must be a number, got ${describe(x)}`);
    return x;
  };
  if (typeof dg.converged !== 'boolean') fail('diagnostics.converged must be true or false');
  if (!REASONS.includes(dg.reason as StopReason)) fail(`diagnostics.reason ${describe(dg.reason)} is not a stopping reason`);
  const history = Array.isArray(dg.history) ? dg.history.filter((h): h is number => typeof h === 'number') : [];
  const ev = isRecord(dg.evaluations) ? dg.evaluations : {};
  const diagnostics: FitDiagnostics = {
    solver: o.solver as Solver,
    method: typeof dg.method === 'string' ? dg.method : String(o.solver),
    iterations: num('iterations'),
    converged: dg.converged,
    reason: dg.reason as StopReason,
    objective: num('objective'),
    gradNorm: num('gradNorm'),
    fitSeconds: num('fitSeconds'),
    history,
    evaluations: {
      valueAndGradient: typeof ev.valueAndGradient === 'number' ? ev.valueAndGradient : 0,
      hessVec: typeof ev.hessVec === 'number' ? ev.hessVec : 0,
      batch: typeof ev.batch === 'number' ? ev.batch : 0,
    },
    separation: separationOf(dg.separation),
  };
  return {
    state: {
      kind, classes: [...classes] as Label[], featureNames, nFeatures: d, coef, intercept, standardization, diagnostics, target, design,
      covariance: kind === 'binary' ? covarianceOf(v.covariance, d + (options.fitIntercept === false ? 0 : 1)) : null,
    },
    options,
  };
}
