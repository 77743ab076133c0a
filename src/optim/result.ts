import type { OptimizeResult, StopReason } from './types.js';

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
