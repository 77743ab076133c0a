import type { ModelMatrix } from '../backend/modelMatrix.js';
import type { Layout } from '../loss/layout.js';
import { LinearModelObjective } from '../loss/objective.js';
import type { PointwiseLoss } from '../loss/pointwise.js';
import { gradientDescent, lbfgs, lbfgsThenNewton, newton, newtonExact, sgd } from '../optim/index.js';
import type { OptimizeResult } from '../optim/types.js';
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
 * Whether 'auto' takes exact Newton steps: when a Hessian matrix costs at most about eight
 * gradient passes (per row (K·nz)²/2 multiply-adds against about 2·K·nz + 15·K for a gradient,
 * nz the row's non-zeros counting the intercept) and the model is small enough to factor it
 * cheaply. That is the case of categorical columns (a 300-level column is one non-zero) and of
 * small dense models, where L-BFGS would take hundreds of passes; wide dense data stay with L-BFGS.
 */
export function prefersExactNewton(dim: number, rowNonzeros: number, K: number): boolean {
  if (dim > EXACT_NEWTON_MAX_DIM) return false;
  const gram = ((K * rowNonzeros) ** 2) / 2;
  const gradient = 2 * K * rowNonzeros + 15 * K;
  return gram <= 8 * gradient;
}

/** What the solver runs on: the rows, labels, weights, C, and how to build the objective. */
export interface Problem {
  M: ModelMatrix;
  loss: PointwiseLoss;
  layout: Layout;
  y: Int32Array;
  weights: Float64Array | null;
  C: number;
  K: number;
  threads: number | 'auto';
}

/** Runs the solver of the options on the problem from x0; the objective's memory is given back. */
export function solve(o: ResolvedOptions, pb: Problem, x0: Float64Array): OptimizeResult & { method: string } {
  const common = { maxIter: o.maxIter, tol: o.tol, ...(o.onIteration === null ? {} : { onIteration: o.onIteration }) };
  const nz = pb.M.denseCols + pb.M.blocks.length + (pb.layout.fitIntercept ? 1 : 0);
  const exact = o.solver === 'auto' && prefersExactNewton(pb.layout.dim, nz, pb.K);
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
function objectiveOf(pb: Problem, rows: number): LinearModelObjective {
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
  return new LinearModelObjective({ X, loss: pb.loss, layout: pb.layout, y: pb.y.subarray(0, rows), weights, C, threads: pb.threads });
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

function run(
  o: ResolvedOptions, objective: LinearModelObjective, x0: Float64Array, exact: boolean,
  common: { maxIter: number; tol: number; onIteration?: NonNullable<ResolvedOptions['onIteration']> },
): OptimizeResult & { method: string } {
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
      return { ...newton(objective, x0, common), method: 'newton' };
    case 'lbfgs':
      return { ...lbfgs(objective, x0, common), method: 'lbfgs' };
    case 'gd':
      return {
        ...(o.learningRate === null
          ? gradientDescent(objective, x0, { ...common, learningRate: 1, lineSearch: 'armijo' })
          : gradientDescent(objective, x0, { ...common, learningRate: o.learningRate, lineSearch: 'none' })),
        method: 'gd',
      };
    case 'sgd':
      return {
        ...sgd(objective, x0, {
          ...common, learningRate: o.learningRate ?? 1, batchSize: o.batchSize, seed: o.seed, schedule: 'invscaling', averaging: true,
        }),
        method: 'sgd',
      };
  }
}
