import type { Objective, OptimizeResult, OptimizerOptions, StopReason } from './types.js';
import { isConverged, startAt } from './result.js';
import { addScaled, allFinite, axpy, dot, normInf } from './vec.js';

/** Options of `newton`. */
export interface NewtonOptions extends OptimizerOptions {
  /** Conjugate-gradient steps per outer iteration (default: dim, at most 1000). */
  maxCgIter?: number;
  /**
   * The first trust-region radius (M-norm). Default: ‖∇f(x0)‖ in the M⁻¹ norm, LIBLINEAR's choice,
   * which is too small when x0 is already near the optimum (a warm start), so callers with a better
   * scale for the step (the distance already travelled) pass it here.
   */
  initialRadius?: number;
}

// Trust-region constants of TRON (Lin & Moré 1999; LIBLINEAR): a step is accepted when the actual
// reduction is > η0 of the predicted one; the radius shrinks or grows by σ factors at η1, η2.
const ETA0 = 1e-4;
const ETA1 = 0.25;
const ETA2 = 0.75;
const SIGMA1 = 0.25;
const SIGMA2 = 0.5;
const SIGMA3 = 4;
/** Weight of diag(H) in the preconditioner M = (1 − α)·I + α·diag(H) (Hsia, Chiang & Lin 2018). */
const PRECOND_ALPHA = 0.01;

/**
 * Trust-region Newton-CG (TRON, as in LIBLINEAR: Lin, Weng & Keerthi 2008). Each outer iteration
 * solves ∇²f·s = −∇f approximately by (preconditioned) conjugate gradients, truncated at the trust
 * region ‖s‖_M ≤ Δ or along a direction of non-positive curvature, then accepts x + s when the actual
 * decrease is at least η0 = 1e-4 of the decrease the quadratic model predicted, and adapts Δ.
 * The CG forcing term ξ = min(0.1, √‖∇f‖∞) tightens near the solution, so the last iterations
 * converge superlinearly. With `obj.hessDiag` the CG is preconditioned by M = 0.99·I + 0.01·diag(H).
 *
 * Near the optimum, where the predicted decrease is below the rounding level of f, a step is kept
 * when it shrinks ‖∇f‖∞ (f can no longer tell). Requires `obj.hessVec`. Stops when ‖∇f‖∞ ≤ tol,
 * when such an unresolvable step does not shrink the gradient ('no-progress'), or after maxIter
 * outer iterations.
 */
export function newton(obj: Objective, x0: Float64Array, options: NewtonOptions): OptimizeResult {
  if (typeof obj.hessVec !== 'function') {
    throw new TypeError('newton needs an objective with hessVec(x); use lbfgs or gd for this objective');
  }
  const n = obj.dim;
  const maxCg = options.maxCgIter ?? Math.min(Math.max(n, 10), 1000);
  const start = startAt(obj, x0, options.tol);
  const { x, g, ev, history } = start;
  let { f, gnorm } = start;
  const xNew = new Float64Array(n);
  const gNew = new Float64Array(n);
  const s = new Float64Array(n);
  const r = new Float64Array(n);
  const z = new Float64Array(n);
  const d = new Float64Array(n);
  const Hd = new Float64Array(n);
  const M = new Float64Array(n);

  let reason: StopReason = start.stopNow ?? 'max-iterations';
  let iterations = 0;
  let delta = options.initialRadius !== undefined && options.initialRadius > 0 ? options.initialRadius : -1;

  if (start.stopNow === null) {
    while (iterations < options.maxIter) {
      // Preconditioner at x.
      if (obj.hessDiag) {
        const hd = obj.hessDiag(x);
        for (let i = 0; i < n; i++) M[i] = 1 - PRECOND_ALPHA + PRECOND_ALPHA * hd[i]!;
      } else M.fill(1);
      const H = obj.hessVec(x);
      if (delta < 0) {
        // Δ₀ = ‖∇f‖ in the M⁻¹ norm: the length of the first preconditioned steepest-descent step.
        let t = 0;
        for (let i = 0; i < n; i++) t += (g[i]! * g[i]!) / M[i]!;
        delta = Math.sqrt(t);
      }
      const xi = Math.min(0.1, Math.sqrt(gnorm));
      ev.hessVec += truncatedCg(H, g, M, delta, xi, maxCg, s, r, z, d, Hd);

      // Predicted reduction of the quadratic model q(s) = gᵀs + ½sᵀHs; with r = −g − Hs this is
      // −(gᵀs + ½sᵀHs) = −½(gᵀs − sᵀr).
      const gs = dot(g, s);
      const prered = -0.5 * (gs - dot(s, r));
      addScaled(x, 1, s, xNew);
      const fNew = obj.valueAndGradient(xNew, gNew);
      ev.valueAndGradient++;
      const actred = f - fNew;
      let snorm = 0;
      for (let i = 0; i < n; i++) snorm += M[i]! * s[i]! * s[i]!;
      snorm = Math.sqrt(snorm);
      if (iterations === 0) delta = Math.min(delta, snorm);

      // Near the optimum the model's predicted decrease falls below what f can resolve (for a
      // gradient g, about gᵀH⁻¹g/2), and comparing it with the computed decrease compares rounding
      // errors. Such a step is judged by the gradient instead: kept when it shrinks ‖∇f‖∞.
      const resolvable = Math.abs(prered) > 1e-15 * Math.abs(f);
      let accepted: boolean;
      if (resolvable) {
        // Radius update (Lin & Moré): α from the minimizer of the 1-D quadratic interpolating f along s.
        const curv = fNew - f - gs;
        const alpha = !Number.isFinite(fNew) ? SIGMA1 : curv <= 0 ? SIGMA3 : Math.max(SIGMA1, -0.5 * (gs / curv));
        if (!(actred >= ETA0 * prered)) delta = Math.min(Math.max(alpha, SIGMA1) * snorm, SIGMA2 * delta);
        else if (actred < ETA1 * prered) delta = Math.max(SIGMA1 * delta, Math.min(alpha * snorm, SIGMA2 * delta));
        else if (actred < ETA2 * prered) delta = Math.max(SIGMA1 * delta, Math.min(alpha * snorm, SIGMA3 * delta));
        else delta = Math.max(delta, Math.min(alpha * snorm, SIGMA3 * delta));
        accepted = Number.isFinite(fNew) && allFinite(gNew) && actred > ETA0 * prered;
      } else {
        accepted = Number.isFinite(fNew) && allFinite(gNew) && normInf(gNew) < gnorm;
      }

      iterations++;
      if (accepted) {
        x.set(xNew);
        g.set(gNew);
        f = fNew;
        gnorm = normInf(g);
      }
      history.push(f);
      options.onIteration?.({ iteration: iterations, value: f, gradNorm: gnorm });
      if (gnorm <= options.tol) {
        reason = 'gradient-tolerance';
        break;
      }
      // Nothing left that floating point can resolve: a step too small for f to see did not
      // shrink the gradient either.
      if ((!resolvable && !accepted) || delta <= 1e-300) {
        reason = 'no-progress';
        break;
      }
    }
  }
  return {
    x, value: f, gradNorm: gnorm, iterations, converged: isConverged(reason, gnorm, options.tol), reason, history, evaluations: ev,
  };
}

/**
 * Preconditioned conjugate gradients for H·s = −g inside ‖s‖_M ≤ Δ (Steihaug–Toint). Writes the
 * step into s and the residual −g − H·s into r. Returns the number of Hessian-vector products.
 */
function truncatedCg(
  H: (v: Float64Array, out: Float64Array) => void, g: Float64Array, M: Float64Array, delta: number,
  xi: number, maxIter: number, s: Float64Array, r: Float64Array, z: Float64Array, d: Float64Array, Hd: Float64Array,
): number {
  const n = g.length;
  s.fill(0);
  for (let i = 0; i < n; i++) {
    r[i] = -g[i]!;
    z[i] = r[i]! / M[i]!;
    d[i] = z[i]!;
  }
  let rTz = dot(r, z);
  const cgtol = xi * Math.sqrt(rTz);
  let products = 0;
  const dsq = delta * delta;
  while (products < maxIter) {
    if (Math.sqrt(rTz) <= cgtol) break;
    H(d, Hd);
    products++;
    const dHd = dot(d, Hd);
    let alpha = dHd > 0 ? rTz / dHd : Infinity;
    // M-norms for the boundary test.
    let sMs = 0, sMd = 0, dMd = 0;
    for (let i = 0; i < n; i++) {
      const m = M[i]!;
      sMs += m * s[i]! * s[i]!;
      sMd += m * s[i]! * d[i]!;
      dMd += m * d[i]! * d[i]!;
    }
    const nextNorm = sMs + 2 * alpha * sMd + alpha * alpha * dMd;
    if (!(dHd > 0) || nextNorm > dsq) {
      // Go to the boundary along d: the τ ≥ 0 with ‖s + τd‖_M = Δ (stable form of the root).
      const rad = Math.sqrt(Math.max(0, sMd * sMd + dMd * (dsq - sMs)));
      alpha = sMd >= 0 ? (dsq - sMs) / (sMd + rad) : (rad - sMd) / dMd;
      if (!Number.isFinite(alpha)) alpha = 0;
      axpy(alpha, d, s);
      axpy(-alpha, Hd, r);
      break;
    }
    axpy(alpha, d, s);
    axpy(-alpha, Hd, r);
    for (let i = 0; i < n; i++) z[i] = r[i]! / M[i]!;
    const rTzNew = dot(r, z);
    const beta = rTzNew / rTz;
    for (let i = 0; i < n; i++) d[i] = z[i]! + beta * d[i]!;
    rTz = rTzNew;
  }
  return products;
}
