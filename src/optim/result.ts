import type { Objective, OptimizeResult, StopReason } from './types.js';
import { allFinite, normInf } from './vec.js';

/** A counter of objective calls, reported as `evaluations`. */
export function counters(): OptimizeResult['evaluations'] {
  return { valueAndGradient: 0, hessVec: 0, batch: 0 };
}

/**
 * Whether a stop counts as converged: the gradient tolerance was met, or the iterates stopped
 * moving (no-progress) at a gradient within 10·tol, where rounding in the gradient itself is the limit.
 */
export function isConverged(reason: StopReason, gradNorm: number, tol: number): boolean {
  return reason === 'gradient-tolerance' || (reason === 'no-progress' && gradNorm <= 10 * tol);
}

/**
 * Where every full-gradient method starts: x (a copy of x0), f(x) and ∇f(x) from one evaluation,
 * the counters and history, and the reason to stop at once if x0 already ends the search
 * (non-finite, or ‖∇f‖∞ ≤ tol), else null.
 */
export function startAt(obj: Objective, x0: Float64Array, tol: number) {
  const ev = counters();
  const x = Float64Array.from(x0);
  const g = new Float64Array(obj.dim);
  const f = obj.valueAndGradient(x, g);
  ev.valueAndGradient++;
  const gnorm = normInf(g);
  const stopNow: StopReason | null = !Number.isFinite(f) || !allFinite(g) ? 'non-finite' : gnorm <= tol ? 'gradient-tolerance' : null;
  return { ev, x, g, f, gnorm, history: [f], stopNow };
}
