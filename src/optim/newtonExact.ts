import { type CholeskyFactor, spdFactor } from '../backend/linalg.js';
import { isConverged, startAt } from './result.js';
import type { Objective, OptimizeResult, OptimizerOptions, StopReason } from './types.js';
import { addScaled, allFinite, dot, normInf } from './vec.js';

/** An objective that can form its whole Hessian (dim × dim, row-major, symmetric). */
export interface MatrixObjective extends Objective {
  hessianMatrix(x: Float64Array): Float64Array;
}

/** Armijo's sufficient-decrease constant. */
const ARMIJO = 1e-4;
/** Most step halvings in a line search. */
const HALVINGS = 40;

/**
 * Damped Newton's method with the exact Hessian (iteratively reweighted least squares, as R's glm
 * fits, on the penalized objective): at each iterate the Newton direction d = −H⁻¹g from a
 * Cholesky factorization of the whole Hessian, then a backtracking line search from the full step
 * (Armijo's condition f(x + td) ≤ f(x) + 1e-4·t·gᵀd). When H is not numerically positive definite
 * (an unpenalized softmax model, whose likelihood is flat along adding one vector to every class)
 * it is shifted by μI, μ from 1e-10 of the largest diagonal entry up, until the factorization
 * succeeds. Near the optimum the full step is taken and convergence is quadratic: a handful of
 * iterations, each one pass for the gradient and one for the Hessian.
 *
 * It pays when the Hessian is cheap to form and factor: few coefficients (up to about a thousand)
 * and few non-zeros per row (categorical columns in indexed blocks: a 300-level column counts as
 * one), the case where L-BFGS needs hundreds of passes. Stops when ‖∇f‖∞ ≤ tol; when a step can
 * no longer decrease f or shrink the gradient ('no-progress'); or after maxIter iterations.
 */
export function newtonExact(obj: MatrixObjective, x0: Float64Array, options: OptimizerOptions): OptimizeResult {
  const n = obj.dim;
  const start = startAt(obj, x0, options.tol);
  const { x, g, ev, history } = start;
  let { f, gnorm } = start;
  const xNew = new Float64Array(n);
  const gNew = new Float64Array(n);
  const minusG = new Float64Array(n);
  let reason: StopReason = start.stopNow ?? 'max-iterations';
  let iterations = 0;
  // The factorization of the last Hessian, kept while full steps with it shrink the gradient at
  // least tenfold: near the optimum the Hessian barely moves, and a step with the old factor costs
  // one gradient pass where a new Hessian costs several.
  let factor: CholeskyFactor | null = null;
  let lastShrink = 1;
  if (start.stopNow === null) {
    while (iterations < options.maxIter) {
      if (factor === null || lastShrink > 0.1) {
        factor = factorShifted(obj.hessianMatrix(x), n);
        ev.hessVec += n;
      }
      if (factor === null) {
        reason = 'line-search-failed';
        break;
      }
      for (let i = 0; i < n; i++) minusG[i] = -g[i]!;
      const d = factor.solve(minusG);
      const slope = dot(g, d);
      // A line search from the full Newton step.
      let t = 1;
      let fNew = NaN;
      let accepted = false;
      for (let h = 0; h < HALVINGS; h++) {
        addScaled(x, t, d, xNew);
        fNew = obj.valueAndGradient(xNew, gNew);
        ev.valueAndGradient++;
        if (Number.isFinite(fNew) && allFinite(gNew)) {
          if (fNew <= f + ARMIJO * t * slope) {
            accepted = true;
            break;
          }
          // Below f's rounding level the decrease cannot be seen: judge the step by the gradient.
          if (Math.abs(fNew - f) <= 1e-15 * Math.abs(f) && normInf(gNew) < gnorm) {
            accepted = true;
            break;
          }
        }
        t /= 2;
      }
      iterations++;
      if (!accepted) {
        history.push(f);
        reason = 'no-progress';
        break;
      }
      x.set(xNew);
      g.set(gNew);
      f = fNew;
      const before = gnorm;
      gnorm = normInf(g);
      lastShrink = t === 1 ? gnorm / before : 1;
      history.push(f);
      options.onIteration?.({ iteration: iterations, value: f, gradNorm: gnorm });
      if (gnorm <= options.tol) {
        reason = 'gradient-tolerance';
        break;
      }
    }
  }
  return { x, value: f, gradNorm: gnorm, iterations, converged: isConverged(reason, gnorm, options.tol), reason, history, evaluations: ev };
}

/**
 * The Cholesky factor of H + μI with μ = 0 if H is numerically positive definite, else the smallest
 * of 1e-10, 1e-8, … times H's largest diagonal entry that makes it so; null if none does.
 */
function factorShifted(H: Float64Array, n: number): CholeskyFactor | null {
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, Math.abs(H[i * n + i]!));
  const shifted = Float64Array.from(H);
  for (let mu = 0; mu <= maxDiag; mu = mu === 0 ? 1e-10 * maxDiag : mu * 100) {
    if (mu > 0) for (let i = 0; i < n; i++) shifted[i * n + i] = H[i * n + i]! + mu;
    const factor = spdFactor(shifted, n, 1e-14);
    if (!('failed' in factor)) return factor;
    if (maxDiag === 0) break;
  }
  return null;
}
