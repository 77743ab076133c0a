import type { Layout } from '../loss/layout.js';
import type { ResolvedOptions } from '../model/options.js';
import { type ColumnHessian, hessianOn, runNamed } from '../model/solve.js';
import { lbfgs, proxNewton } from '../optim/index.js';
import type { MatrixObjective } from '../optim/newtonExact.js';
import type { OptimizeResult } from '../optim/types.js';

/**
 * The solvers of a fit whose passes are expensive (streamed from disk, or run by a SQL engine):
 * every pass reads all the rows, so 'auto' takes the method of fewest passes for a smooth objective,
 * L-BFGS (one value-and-gradient pass an iteration, about 1.1 on average with its line search),
 * never the exact-Newton route of in-memory fits (whose Hessian costs (K·nonzeros)²/2 a row).
 * An L1 or elastic-net penalty is fitted by proximal Newton as in memory, with one Hessian pass on
 * the columns it needs whenever it forms one. 'lbfgs', 'newton' (trust-region Newton-CG: a
 * Hessian-vector pass per CG step) and 'gd' run as named; 'sgd', whose mini-batches pick random
 * rows, is refused.
 */

/** What these solvers need of an objective: value, gradient, Hessian products and matrices, the L1 weights. */
export interface PassObjective extends MatrixObjective {
  readonly ridge: ColumnHessian['ridge'];
  hessianMatrix(x: Float64Array, columns?: Int32Array): Float64Array;
  hessVec(x: Float64Array): (v: Float64Array, out: Float64Array) => void;
  l1Weights(): Float64Array;
}

/** Whether a solver asks for Hessians (products or matrices): then the objective needs room for curvature. */
export function needsCurvature(o: ResolvedOptions): boolean {
  return o.solver === 'newton' || o.penalty === 'l1' || o.penalty === 'elasticnet';
}

/** Refuses what these routes cannot run, naming the route (`how`: "a streamed fit", "a pushed-down fit"). */
export function checkSolver(o: ResolvedOptions, how: string): void {
  if (o.solver === 'sgd') throw new RangeError(`${how} does not run --solver sgd (its mini-batches read random rows); use auto (L-BFGS), lbfgs, newton or gd`);
}

/** Runs the options' solver from x0 on an objective whose every call is a pass over the rows. */
export function solvePasses(o: ResolvedOptions, objective: PassObjective, layout: Layout, x0: Float64Array): OptimizeResult & { method: string } {
  const common = { maxIter: o.maxIter, tol: o.tol, ...(o.onIteration === null ? {} : { onIteration: o.onIteration }) };
  if (o.penalty === 'l1' || o.penalty === 'elasticnet') {
    const hessian = (x: Float64Array, coords: Int32Array) => hessianOn(objective, layout, x, coords);
    const r = proxNewton(objective, x0, { ...common, l1: objective.l1Weights(), hessian });
    return { ...r, method: 'prox-newton' };
  }
  switch (o.solver) {
    case 'auto':
      return { ...lbfgs(objective, x0, common), method: 'lbfgs' };
    case 'sgd':
      throw new RangeError('sgd is not run on passes over the rows');
    default:
      return runNamed(o.solver, o.learningRate, objective, x0, common);
  }
}
