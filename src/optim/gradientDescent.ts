import { isConverged, startAt } from './result.js';
import type { Objective, OptimizeResult, OptimizerOptions, StopReason } from './types.js';
import { addScaled, allFinite, dot, normInf } from './vec.js';

/** Options of `gradientDescent`. */
export interface GradientDescentOptions extends OptimizerOptions {
  /** Fixed step η ('none'), or the first trial step (and upper bound ×2ᵏ growth) of Armijo. */
  learningRate: number;
  /**
   * 'none': x ← x − η·∇f with the fixed η. 'armijo': backtracking from twice the last accepted step,
   * halving until f(x − t·∇f) ≤ f(x) − 1e-4·t·‖∇f‖², so badly scaled problems need no tuning.
   */
  lineSearch: 'none' | 'armijo';
}

const ARMIJO_C = 1e-4;

/**
 * Gradient descent, x ← x − t·∇f(x), with a fixed step or Armijo backtracking. A first-order method:
 * its rate is linear with ratio ≈ 1 − 1/κ (κ the condition number), so it is for teaching and for
 * comparison; newton or lbfgs reach the same optimum in far fewer passes.
 * Stops when ‖∇f‖∞ ≤ tol, when f or ∇f stop being finite ('non-finite', without throwing), when
 * backtracking cannot decrease f ('line-search-failed'), or after maxIter iterations.
 */
export function gradientDescent(obj: Objective, x0: Float64Array, options: GradientDescentOptions): OptimizeResult {
  const n = obj.dim;
  const start = startAt(obj, x0, options.tol);
  const { x, g, ev, history } = start;
  let { f, gnorm } = start;
  const xNew = new Float64Array(n);
  const gNew = new Float64Array(n);
  let reason: StopReason = start.stopNow ?? 'max-iterations';
  let iterations = 0;
  let step = options.learningRate;

  if (start.stopNow === null) {
    while (iterations < options.maxIter) {
      let fNew: number;
      if (options.lineSearch === 'none') {
        addScaled(x, -step, g, xNew);
        fNew = obj.valueAndGradient(xNew, gNew);
        ev.valueAndGradient++;
      } else {
        const gg = dot(g, g);
        let t = Math.min(2 * step, 1e300);
        for (;;) {
          addScaled(x, -t, g, xNew);
          fNew = obj.valueAndGradient(xNew, gNew);
          ev.valueAndGradient++;
          if (Number.isFinite(fNew) && fNew <= f - ARMIJO_C * t * gg) break;
          t *= 0.5;
          if (t < 1e-300 * Math.max(1, step)) break;
        }
        if (!(Number.isFinite(fNew) && fNew <= f - ARMIJO_C * t * gg)) {
          reason = 'line-search-failed';
          break;
        }
        step = t;
      }
      iterations++;
      x.set(xNew);
      g.set(gNew);
      f = fNew;
      gnorm = normInf(g);
      history.push(f);
      if (!Number.isFinite(f) || !allFinite(g)) {
        reason = 'non-finite';
        break;
      }
      options.onIteration?.({ iteration: iterations, value: f, gradNorm: gnorm });
      if (gnorm <= options.tol) {
        reason = 'gradient-tolerance';
        break;
      }
    }
  }
  return {
    x, value: f, gradNorm: gnorm, iterations, converged: isConverged(reason, gnorm, options.tol), reason, history, evaluations: ev,
  };
}
