import { lbfgs } from './lbfgs.js';
import { newton } from './newton.js';
import type { Objective, OptimizeResult, OptimizerOptions } from './types.js';

/** Options of `lbfgsThenNewton`. */
export interface AutoOptions extends OptimizerOptions {
  /** L-BFGS iterations before handing over to Newton (default 50). */
  switchAfter?: number;
}

/**
 * L-BFGS first (one pass over the data per iteration: the cheapest way to the optimum of a
 * well-conditioned problem), then, if it has not met the tolerance after `switchAfter` iterations or
 * stalled, trust-region Newton-CG from where it stopped (which converges on badly scaled problems
 * where L-BFGS crawls). Needs `obj.hessVec` for the second stage. The result's history, iteration
 * count and evaluations cover both stages; `method` says which ran.
 */
export function lbfgsThenNewton(obj: Objective, x0: Float64Array, options: AutoOptions): OptimizeResult & { method: string } {
  const first = Math.min(options.switchAfter ?? 50, options.maxIter);
  const a = lbfgs(obj, x0, { ...options, maxIter: first });
  if (a.reason === 'gradient-tolerance' || a.reason === 'non-finite' || options.maxIter <= a.iterations) {
    return { ...a, method: 'lbfgs' };
  }
  const onIteration = options.onIteration;
  // The distance L-BFGS travelled sets the scale of Newton's first trust region.
  let travelled = 0;
  for (let i = 0; i < x0.length; i++) travelled += (a.x[i]! - x0[i]!) ** 2;
  const b = newton(obj, a.x, {
    ...options,
    initialRadius: Math.sqrt(travelled),
    maxIter: options.maxIter - a.iterations,
    ...(onIteration === undefined ? {} : { onIteration: (info) => onIteration({ ...info, iteration: info.iteration + a.iterations }) }),
  });
  return {
    ...b,
    iterations: a.iterations + b.iterations,
    history: [...a.history, ...b.history.slice(1)],
    evaluations: {
      valueAndGradient: a.evaluations.valueAndGradient + b.evaluations.valueAndGradient,
      hessVec: a.evaluations.hessVec + b.evaluations.hessVec,
      batch: 0,
    },
    method: 'lbfgs+newton',
  };
}
