import { strongWolfe } from './lineSearch.js';
import { isConverged, startAt } from './result.js';
import type { Objective, OptimizeResult, OptimizerOptions, StopReason } from './types.js';
import { dot, norm2, normInf } from './vec.js';

/** Options of `lbfgs`. */
export interface LbfgsOptions extends OptimizerOptions {
  /** Number of curvature pairs (s, y) kept (default 10). */
  memory?: number;
}

/**
 * Limited-memory BFGS (Nocedal & Wright, Algorithm 7.5): the direction d = −H·∇f comes from the
 * two-loop recursion over the last m pairs sₖ = xₖ₊₁ − xₖ, yₖ = ∇fₖ₊₁ − ∇fₖ, with the initial
 * inverse Hessian γ·I, γ = sᵀy / yᵀy of the newest pair; a strong Wolfe line search (lineSearch.ts)
 * keeps every accepted pair's curvature sᵀy positive. A pair with sᵀy ≤ 1e-10·‖s‖‖y‖ is skipped.
 * The first step is scaled to length at most 1 (a = 1/max(1, ‖∇f‖₂)).
 *
 * Stops when ‖∇f‖∞ ≤ tol; when f has stopped decreasing by more than 1e-15·|f| for 3 iterations
 * ('no-progress'); when the line search fails twice in a row (the memory is dropped after the first
 * failure and a steepest-descent step tried: 'line-search-failed'); after maxIter iterations.
 */
export function lbfgs(obj: Objective, x0: Float64Array, options: LbfgsOptions): OptimizeResult {
  const n = obj.dim;
  const m = options.memory ?? 10;
  const S = Array.from({ length: m }, () => new Float64Array(n));
  const Y = Array.from({ length: m }, () => new Float64Array(n));
  const rho = new Float64Array(m);
  const alphas = new Float64Array(m);
  let stored = 0;
  let newest = -1;

  const start = startAt(obj, x0, options.tol);
  const { x, g, ev, history } = start;
  let { f, gnorm } = start;
  const xNew = new Float64Array(n);
  const gNew = new Float64Array(n);
  const d = new Float64Array(n);
  const sNew = new Float64Array(n);
  const yNew = new Float64Array(n);

  let reason: StopReason = start.stopNow ?? 'max-iterations';
  let iterations = 0;
  let stalled = 0;
  let failedOnce = false;

  if (start.stopNow === null) {
    while (iterations < options.maxIter) {
      // Two-loop recursion: d = −H·g.
      for (let i = 0; i < n; i++) d[i] = -g[i]!;
      for (let t = 0; t < stored; t++) {
        const k = (newest - t + m) % m;
        const a = rho[k]! * dot(S[k]!, d);
        alphas[k] = a;
        const yk = Y[k]!;
        for (let i = 0; i < n; i++) d[i] = d[i]! - a * yk[i]!;
      }
      if (stored > 0) {
        const gamma = dot(S[newest]!, Y[newest]!) / dot(Y[newest]!, Y[newest]!);
        for (let i = 0; i < n; i++) d[i] = d[i]! * gamma;
      }
      for (let t = stored - 1; t >= 0; t--) {
        const k = (newest - t + m) % m;
        const b = rho[k]! * dot(Y[k]!, d);
        const sk = S[k]!;
        const coeff = alphas[k]! - b;
        for (let i = 0; i < n; i++) d[i] = d[i]! + coeff * sk[i]!;
      }
      // The first step: length 1, or the plain gradient step when the gradient is shorter than 1
      // (a warm start near the optimum, where a unit-length step would overshoot by orders of
      // magnitude and cost a dozen line-search evaluations).
      let a1 = 1;
      if (stored === 0) a1 = 1 / Math.max(1, norm2(g));
      if (!(dot(g, d) < 0)) {
        // Not a descent direction (rounding in a stale memory): restart from steepest descent.
        stored = 0;
        for (let i = 0; i < n; i++) d[i] = -g[i]!;
        a1 = 1 / norm2(g);
      }
      const ls = strongWolfe(obj, x, f, g, d, a1, xNew, gNew, ev);
      if (!ls.ok) {
        if (failedOnce || stored === 0) {
          reason = 'line-search-failed';
          break;
        }
        failedOnce = true;
        stored = 0;
        continue;
      }
      failedOnce = false;
      iterations++;
      // New curvature pair, stored (over the oldest) only when its curvature is safely positive.
      for (let i = 0; i < n; i++) {
        sNew[i] = xNew[i]! - x[i]!;
        yNew[i] = gNew[i]! - g[i]!;
      }
      const sy = dot(sNew, yNew);
      if (sy > 1e-10 * norm2(sNew) * norm2(yNew)) {
        const k = (newest + 1) % m;
        S[k]!.set(sNew);
        Y[k]!.set(yNew);
        rho[k] = 1 / sy;
        newest = k;
        stored = Math.min(stored + 1, m);
      }
      const decrease = f - ls.value;
      x.set(xNew);
      g.set(gNew);
      f = ls.value;
      gnorm = normInf(g);
      history.push(f);
      options.onIteration?.({ iteration: iterations, value: f, gradNorm: gnorm });
      if (gnorm <= options.tol) {
        reason = 'gradient-tolerance';
        break;
      }
      stalled = decrease <= 1e-15 * Math.abs(f) ? stalled + 1 : 0;
      if (stalled >= 3) {
        reason = 'no-progress';
        break;
      }
    }
  }
  return {
    x, value: f, gradNorm: gnorm, iterations, converged: isConverged(reason, gnorm, options.tol), reason, history, evaluations: ev,
  };
}
