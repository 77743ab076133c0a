import { type ModelMatrix, takeModelRows } from '../backend/modelMatrix.js';
import type { Layout } from '../loss/layout.js';
import { ColumnSubsets } from '../loss/columnSubsets.js';
import { LinearModelObjective } from '../loss/objective.js';
import type { PointwiseLoss } from '../loss/pointwise.js';
import { gradientDescent, lbfgs, lbfgsThenNewton, newton, newtonExact, proxNewton, sgd } from '../optim/index.js';
import type { HessianCache } from '../optim/proxNewton.js';
import type { Objective, OptimizeResult } from '../optim/types.js';
import type { ResolvedOptions } from './options.js';

/**
 * How a fit runs its optimizer: the solver the options name, and for 'auto' the choice between
 * exact Newton steps (cheap Hessians: categorical columns, small models) and L-BFGS handing over to
 * trust-region Newton-CG (wide dense data), with a warm start on a prefix of the rows for large
 * data. Results are the same optimum whichever route: only the work differs.
 */

/** Most coefficients for which 'auto' considers exact Newton steps (a Cholesky of the Hessian each). */
const EXACT_NEWTON_MAX_DIM = 1500;
/** Rows from which 'auto' first fits a prefix of the data (an eighth, at least PREFIX_MIN_ROWS). */
const PREFIX_FROM_ROWS = 2_000_000;
const PREFIX_MIN_ROWS = 250_000;

/**
 * Whether 'auto' takes exact Newton steps: when a Hessian matrix costs at most a few gradient
 * passes (per row (K·nz)²/2 multiply-adds against about 2·K·nz + 15·K for a gradient, nz the
 * row's non-zeros counting the intercept) and the model is small enough to factor it cheaply.
 * With categorical columns (a 300-level column is one non-zero) L-BFGS would take hundreds of
 * passes, so up to eight gradient passes' worth pays; on dense columns L-BFGS usually needs ten
 * or so, and only a Hessian under two passes' worth does (measured on 1M × 20: exact Newton 0.90 s,
 * L-BFGS 0.52 s).
 */
export function prefersExactNewton(dim: number, rowNonzeros: number, K: number, categorical = true): boolean {
  if (dim > EXACT_NEWTON_MAX_DIM) return false;
  const gram = ((K * rowNonzeros) ** 2) / 2;
  const gradient = 2 * K * rowNonzeros + 15 * K;
  return gram <= (categorical ? 8 : 2) * gradient;
}

/** What the solver runs on: the rows, labels, weights, C, and how to build the objective. */
export interface Problem {
  M: ModelMatrix;
  loss: PointwiseLoss;
  layout: Layout;
  y: Int32Array;
  weights: Float64Array | null;
  C: number;
  /** a of the elastic net (0: L2 or none). */
  l1Ratio: number;
  K: number;
  threads: number | 'auto';
}

/** Most coefficients for which the L1 solver forms the Hessian it runs coordinate descent on. */
export const PROX_NEWTON_MAX_DIM = 4000;

/** Runs the solver of the options on the problem from x0; the objective's memory is given back. */
export function solve(
  o: ResolvedOptions, pb: Problem, x0: Float64Array, cache?: HessianCache, begin?: { value: number; gradient: Float64Array },
): OptimizeResult & { method: string; smoothValue?: number; gradient?: Float64Array } {
  const common = { maxIter: o.maxIter, tol: o.tol, ...(o.onIteration === null ? {} : { onIteration: o.onIteration }) };
  // A step of a binary L2 path (a cache is passed along it) is a Newton method too: proximal Newton
  // with no L1 part, whose Hessian (sampled on large dense data) and f, ∇f carry from one C to the
  // next (bin100k, 10 C: 159 passes in 3.3 s → 46 passes and 4 Hessians in 1.8 s). Not for softmax:
  // its Hessian has K times the coefficients, so forming it costs more than the passes it saves
  // (multi50k, 10 C: 41 passes in 5.5 s against L-BFGS's 154 passes in 1.5 s; before proxNewton
  // damped its model, the near-null direction Σₖ Wₖ made it crawl: 457 s).
  const l2PathStep = cache !== undefined && o.penalty === 'l2' && o.solver === 'auto' && pb.K === 1 && pb.layout.dim <= PROX_NEWTON_MAX_DIM;
  if (o.penalty === 'l1' || o.penalty === 'elasticnet' || l2PathStep) {
    const objective = objectiveOf(pb, pb.M.rows, subsetsOf(pb.M));
    try {
      const sample = hessianSample(pb);
      const hessian = (x: Float64Array, coords: Int32Array) => hessianOn(sample ?? objective, pb.layout, x, coords, objective.ridge);
      const r = proxNewton(objective, x0, {
        ...common, l1: objective.l1Weights(), hessian, hessianExact: sample === null, ridge: objective.ridge, ridgeCoords: pb.K * pb.layout.d,
        ...(cache ? { cache } : {}), ...(begin ? { start: begin } : {}),
      });
      return { ...r, method: 'prox-newton' };
    } finally {
      objective.release();
    }
  }
  const nz = pb.M.denseCols + pb.M.blocks.length + (pb.layout.fitIntercept ? 1 : 0);
  const exact = o.solver === 'auto' && prefersExactNewton(pb.layout.dim, nz, pb.K, pb.M.blocks.length > 0);
  let start = x0;
  let method = '';
  if (exact && pb.M.rows >= PREFIX_FROM_ROWS) {
    start = prefixStart(pb, x0, o.tol);
    method = 'prefix+';
  }
  const objective = objectiveOf(pb, pb.M.rows);
  try {
    const r = run(o, objective, start, exact, common);
    return { ...r, method: method + r.method };
  } finally {
    objective.release();
  }
}

/**
 * The objective over the first `rows` rows. Its C is scaled so that the penalty weighs the same
 * against the data as on all rows (λ = 1/(C·S) is the full data's), so its optimum approximates
 * the full one's.
 */
function objectiveOf(pb: Problem, rows: number, subsets?: ColumnSubsets): LinearModelObjective {
  const { M } = pb;
  const X = rows === M.rows ? M : {
    rows, dense: M.dense.subarray(0, rows * M.denseCols), denseCols: M.denseCols, cols: M.cols,
    blocks: M.blocks.map((b) => ({ codes: b.codes.subarray(0, rows), values: b.values === null ? null : b.values.subarray(0, rows), width: b.width })),
  };
  const weights = pb.weights === null ? null : pb.weights.subarray(0, rows);
  let C = pb.C;
  if (rows !== M.rows && Number.isFinite(C)) {
    const sum = (w: Float64Array | null, n: number) => (w === null ? n : w.reduce((a, v) => a + v, 0));
    C = (C * sum(pb.weights, M.rows)) / sum(weights, rows);
  }
  return new LinearModelObjective({
    X, loss: pb.loss, layout: pb.layout, y: pb.y.subarray(0, rows), weights, C, l1Ratio: pb.l1Ratio, threads: pb.threads,
    ...(subsets === undefined ? {} : { subsets }),
  });
}

/**
 * A starting point from exact Newton on a prefix of the rows (an eighth, at least PREFIX_MIN_ROWS),
 * to a looser tolerance: on a large data set the full-data Newton steps are the costly part, and
 * from the prefix's optimum (typically within O(1/√rows) of the full one) one or two of them reach
 * the tolerance instead of four or five. A prefix that is not representative (sorted data) only
 * makes a worse start; the full-data steps still decide where the fit ends.
 */
function prefixStart(pb: Problem, x0: Float64Array, tol: number): Float64Array {
  const rows = Math.max(PREFIX_MIN_ROWS, Math.floor(pb.M.rows / 8));
  const sub = objectiveOf(pb, rows);
  try {
    const r = newtonExact(sub, x0, { maxIter: 20, tol: Math.max(tol, 1e-6) });
    return r.value <= sub.value(x0) && r.x.every(Number.isFinite) ? r.x : x0;
  } finally {
    sub.release();
  }
}

function run(o: ResolvedOptions, objective: LinearModelObjective, x0: Float64Array, exact: boolean, common: SolverCommon): OptimizeResult & { method: string } {
  switch (o.solver) {
    case 'auto': {
      if (!exact) return lbfgsThenNewton(objective, x0, common);
      const r = newtonExact(objective, x0, common);
      if (r.converged || r.reason === 'max-iterations') return { ...r, method: 'newton-exact' };
      // A stall (not expected): L-BFGS and trust-region Newton from where it stopped.
      const more = lbfgsThenNewton(objective, r.x, { ...common, maxIter: Math.max(1, o.maxIter - r.iterations) });
      return {
        ...more, iterations: r.iterations + more.iterations, history: [...r.history, ...more.history.slice(1)],
        evaluations: {
          valueAndGradient: r.evaluations.valueAndGradient + more.evaluations.valueAndGradient,
          hessVec: r.evaluations.hessVec + more.evaluations.hessVec, batch: 0,
        },
        method: `newton-exact+${more.method}`,
      };
    }
    case 'newton':
    case 'lbfgs':
    case 'gd':
      return runNamed(o.solver, o.learningRate, objective, x0, common);
    case 'sgd':
      return {
        ...sgd(objective, x0, {
          ...common, learningRate: o.learningRate ?? 1, batchSize: o.batchSize, seed: o.seed, schedule: 'invscaling', averaging: true,
        }),
        method: 'sgd',
      };
  }
}

/** Stopping rule and progress callback of a solver run. */
export interface SolverCommon {
  maxIter: number;
  tol: number;
  onIteration?: NonNullable<ResolvedOptions['onIteration']>;
}

/**
 * The solvers that run as named whatever the data's route (in memory, streamed, pushed down):
 * trust-region Newton-CG (needs hessVec), L-BFGS, and gradient descent (Armijo steps from 1, or a
 * fixed learning rate when one is given).
 */
export function runNamed(
  solver: 'newton' | 'lbfgs' | 'gd', learningRate: number | null, objective: Objective, x0: Float64Array, common: SolverCommon,
): OptimizeResult & { method: string } {
  switch (solver) {
    case 'newton':
      return { ...newton(objective, x0, common), method: 'newton' };
    case 'lbfgs':
      return { ...lbfgs(objective, x0, common), method: 'lbfgs' };
    case 'gd':
      return {
        ...(learningRate === null
          ? gradientDescent(objective, x0, { ...common, learningRate: 1, lineSearch: 'armijo' })
          : gradientDescent(objective, x0, { ...common, learningRate, lineSearch: 'none' })),
        method: 'gd',
      };
  }
}

/** What hessianOn needs of an objective: the Hessian on a selection of model columns, and its ridge. */
export interface ColumnHessian {
  readonly ridge: number;
  hessianMatrix(x: Float64Array, columns?: Int32Array): Float64Array;
}

/**
 * ∇²J at x on the coordinates `coords` (increasing, in the layout of loss/layout.ts), formed from the
 * model columns they touch only: one Hessian pass over those columns (every class, and the
 * intercepts), then the requested rows and columns. `ridge` is the full objective's, when the
 * Hessian comes from another objective (a sample without penalty).
 */
export function hessianOn(objective: ColumnHessian, layout: Layout, x: Float64Array, coords: Int32Array, ridge = objective.ridge): Float64Array {
  const { K, d: p } = layout;
  const used = new Uint8Array(p);
  for (const c of coords) if (c < K * p) used[c % p] = 1;
  const columns: number[] = [];
  const pos = new Int32Array(p).fill(-1);
  for (let j = 0; j < p; j++) {
    if (used[j] === 1) {
      pos[j] = columns.length;
      columns.push(j);
    }
  }
  const pSel = columns.length;
  const H = objective.hessianMatrix(x, Int32Array.from(columns));
  const q = K * pSel + (layout.fitIntercept ? K : 0);
  // A sample's objective has no penalty: the ridge of the full objective goes on the diagonal.
  if (objective.ridge !== ridge) for (let j = 0; j < K * pSel; j++) H[j * q + j] = H[j * q + j]! + ridge - objective.ridge;
  const m = coords.length;
  const at = Int32Array.from(coords, (c) => (c < K * p ? Math.floor(c / p) * pSel + pos[c % p]! : K * pSel + (c - K * p)));
  if (m === q) return H;
  const out = new Float64Array(m * m);
  for (let r = 0; r < m; r++) for (let c = 0; c < m; c++) out[r * m + c] = H[at[r]! * q + at[c]!]!;
  return out;
}

/**
 * The column copies of a model matrix for the L1 solver's partial passes (loss/columnSubsets.ts),
 * kept while the matrix lives: the steps of a path share them.
 */
const columnCopies = new WeakMap<ModelMatrix, ColumnSubsets>();

function subsetsOf(M: ModelMatrix): ColumnSubsets {
  let s = columnCopies.get(M);
  if (s === undefined) {
    s = new ColumnSubsets();
    columnCopies.set(M, s);
  }
  return s;
}

/** Rows of the Hessian sample: at least this many, and 40 per coefficient. */
const SAMPLE_MIN_ROWS = 16384;
const SAMPLE_ROWS_PER_COEFFICIENT = 40;

/** The sample objective of a model matrix, kept while the matrix lives (a path solves many times). */
const samples = new WeakMap<ModelMatrix, LinearModelObjective>();

/**
 * For the L1 solver on a large dense matrix: an objective (without penalty) over an evenly spaced
 * sample of m rows, m = max(16384, 40·dim), whose Hessian stands in for the full one. The solver's
 * Hessian only shapes its steps (any positive definite matrix gives a convergent method; the
 * gradient, and so the optimum, is always the full data's): a sample with a relative error of about
 * 1/√m costs m/n of a full Hessian and slows convergence by about that error per iteration. Not
 * for categorical blocks (a rare level may have no row in the sample, and their Hessians are cheap)
 * nor for data under 2·m rows; null then.
 */
function hessianSample(pb: Problem): LinearModelObjective | null {
  const { M } = pb;
  const m = Math.max(SAMPLE_MIN_ROWS, SAMPLE_ROWS_PER_COEFFICIENT * pb.layout.dim);
  if (M.blocks.length > 0 || M.rows < 2 * m) return null;
  const have = samples.get(M);
  if (have !== undefined) return have;
  const rows = Uint32Array.from({ length: m }, (_, t) => Math.floor(((t + 0.5) * M.rows) / m));
  const sub = takeModelRows(M, rows, m * 12 * pb.K + 1024);
  const objective = new LinearModelObjective({
    X: sub, loss: pb.loss, layout: pb.layout, y: Int32Array.from(rows, (i) => pb.y[i]!),
    weights: pb.weights === null ? null : Float64Array.from(rows, (i) => pb.weights![i]!), C: Infinity, threads: pb.threads,
  });
  samples.set(M, objective);
  return objective;
}
