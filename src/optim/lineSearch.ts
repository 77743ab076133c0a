import type { Objective, OptimizeResult } from './types.js';
import { addScaled, dot } from './vec.js';

/** Sufficient-decrease (Armijo) and curvature constants of the strong Wolfe conditions. */
const C1 = 1e-4;
const C2 = 0.9;
const MAX_EVALS = 40;

/** Outcome of a line search: on success, x + a·d and its value and gradient are in xOut, gOut. */
export interface LineSearchResult {
  ok: boolean;
  step: number;
  value: number;
}

/**
 * Line search along d from x satisfying the strong Wolfe conditions
 *     φ(a) ≤ φ(0) + c1·a·φ'(0),   |φ'(a)| ≤ c2·|φ'(0)|,      φ(a) = f(x + a·d)
 * (Nocedal & Wright, Algorithms 3.5 and 3.6: bracketing, then zoom by safeguarded cubic
 * interpolation). d must be a descent direction (φ'(0) = gᵀd < 0). When the curvature condition
 * cannot be met within the evaluation budget, the best point with sufficient decrease is accepted.
 */
export function strongWolfe(
  obj: Objective, x: Float64Array, f0: number, g0: Float64Array, d: Float64Array, a1: number,
  xOut: Float64Array, gOut: Float64Array, ev: OptimizeResult['evaluations'],
): LineSearchResult {
  const n = x.length;
  const dphi0 = dot(g0, d);
  const xt = new Float64Array(n);
  const gt = new Float64Array(n);
  let evals = 0;
  // Best point so far satisfying sufficient decrease (for the fallback).
  let bestA = 0;
  let bestF = f0;
  const phi = (a: number): [number, number] => {
    addScaled(x, a, d, xt);
    const f = obj.valueAndGradient(xt, gt);
    ev.valueAndGradient++;
    evals++;
    if (Number.isFinite(f) && f <= f0 + C1 * a * dphi0 && f < bestF) {
      bestA = a;
      bestF = f;
      xOut.set(xt);
      gOut.set(gt);
    }
    return [f, dot(gt, d)];
  };
  const accept = (a: number, f: number): LineSearchResult => {
    xOut.set(xt);
    gOut.set(gt);
    return { ok: true, step: a, value: f };
  };
  const fallback = (): LineSearchResult => (bestA > 0 ? { ok: true, step: bestA, value: bestF } : { ok: false, step: 0, value: f0 });

  const zoom = (lo: number, fLo: number, dLo: number, hi: number, fHi: number, dHi: number): LineSearchResult => {
    while (evals < MAX_EVALS) {
      let a = cubicMin(lo, fLo, dLo, hi, fHi, dHi);
      const lower = Math.min(lo, hi);
      const width = Math.abs(hi - lo);
      if (!Number.isFinite(a) || a < lower + 0.1 * width || a > lower + 0.9 * width) a = 0.5 * (lo + hi);
      if (width <= 1e-16 * Math.max(1, Math.abs(a))) break;
      const [f, dphi] = phi(a);
      if (!Number.isFinite(f) || f > f0 + C1 * a * dphi0 || f >= fLo) {
        hi = a;
        fHi = f;
        dHi = dphi;
      } else {
        if (Math.abs(dphi) <= -C2 * dphi0) return accept(a, f);
        if (dphi * (hi - lo) >= 0) {
          hi = lo;
          fHi = fLo;
          dHi = dLo;
        }
        lo = a;
        fLo = f;
        dLo = dphi;
      }
    }
    return fallback();
  };

  let aPrev = 0;
  let fPrev = f0;
  let dPrev = dphi0;
  let a = a1;
  while (evals < MAX_EVALS) {
    const [f, dphi] = phi(a);
    if (!Number.isFinite(f)) {
      // Overshot into overflow: shrink towards the last good point.
      a = aPrev + 0.5 * (a - aPrev);
      continue;
    }
    if (f > f0 + C1 * a * dphi0 || (evals > 1 && f >= fPrev)) return zoom(aPrev, fPrev, dPrev, a, f, dphi);
    if (Math.abs(dphi) <= -C2 * dphi0) return accept(a, f);
    if (dphi >= 0) return zoom(a, f, dphi, aPrev, fPrev, dPrev);
    aPrev = a;
    fPrev = f;
    dPrev = dphi;
    a *= 4;
  }
  return fallback();
}

/** Minimizer of the cubic interpolating φ and φ' at a and b (NaN when it does not exist). */
function cubicMin(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  const d1 = da + db - (3 * (fa - fb)) / (a - b);
  const disc = d1 * d1 - da * db;
  if (!(disc >= 0)) return NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  return b - ((b - a) * (db + d2 - d1)) / (db - da + 2 * d2);
}
