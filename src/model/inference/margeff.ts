import { normalCritical, normalTwoSidedP } from '../../util/distributions.js';
import type { Label } from '../../util/labels.js';
import type { MargeffAt, MargeffMethod, MargeffOptions } from './options.js';

/**
 * Marginal effects of the columns on the predicted probabilities, with standard errors by the
 * delta method, as statsmodels' `get_margeff(at, method, dummy)`.
 *
 * Binary, p = σ(θᵀx̃): dp/dxⱼ = p(1 − p)θⱼ. Softmax with coefficient rows Bₗ (Bref = 0) and
 * p = softmax(Bx̃): dpₒ/dxⱼ = pₒ(Bₒⱼ − Σₗ pₗBₗⱼ), for every outcome o including the reference.
 * Methods: dydx = D, eyex = D·xⱼ/pₒ, dyex = D·xⱼ, eydx = D/pₒ. With `dummy`, a column whose values
 * are all exactly 0 or 1 gets the discrete change pₒ(xⱼ = 1) − pₒ(xⱼ = 0) (eydx: of log pₒ).
 * 'overall' averages the per-row effects over the rows (weighted by the fit's weights: a frequency
 * weight counts a row w times); 'mean', 'median' and 'zero' evaluate once at the columns' (weighted)
 * means, medians, or at 0, the intercept at 1.
 *
 * Standard errors: se = √diag(G·V·Gᵀ), G the exact Jacobian of the effects with respect to θ
 * (analytic, below), V the covariance of θ̂ of the chosen type; z = effect/se, p two-sided normal,
 * and the interval effect ± z_{level}·se. An effect and standard error both 0 (eyex at zero) have z
 * and p NaN, as statsmodels.
 *
 * Cost: per evaluation point, (outcomes × columns × parameters) multiply-adds; 'overall' visits
 * every row once, in JavaScript (the rows are read back from the model matrix).
 */
export interface MarginalEffects {
  at: MargeffAt;
  method: MargeffMethod;
  dummy: boolean;
  /** The columns treated as discrete (with `dummy`). */
  dummyColumns: string[];
  /** Binary: the column names; softmax: `class: column` for every class, then column. */
  names: string[];
  effect: number[];
  stdErr: number[];
  z: number[];
  pValue: number[];
  ciLow: number[];
  ciHigh: number[];
}

/** What marginal effects need: the model on the reported scale and its rows. */
export interface MargeffInput {
  /** Binary: one block of θ; softmax: the class index of each block of θ (the non-reference classes). */
  kind: 'binary' | 'softmax';
  classes: readonly Label[];
  blockClasses: readonly number[];
  fitIntercept: boolean;
  /** The p column names. */
  columns: readonly string[];
  /** θ on the reported scale (blocks of q = intercept + p entries), and its covariance (m×m). */
  theta: ArrayLike<number>;
  cov: ArrayLike<number>;
  /** Number of rows; `row(i, out)` writes x̃ᵢ (q entries, intercept first) on the reported scale. */
  n: number;
  row: (i: number, out: Float64Array) => void;
  /** Row weights (null: 1). */
  weights: Float64Array | null;
  options: Required<MargeffOptions>;
  confLevel: number;
}

/** Per evaluation point: every effect and its gradient with respect to θ. */
interface PointEffects {
  f: Float64Array;
  /** effects × m, row-major. */
  g: Float64Array;
}

export function marginalEffects(inp: MargeffInput): MarginalEffects {
  const { kind, classes, blockClasses, fitIntercept, columns, theta, cov, n, row, weights, options } = inp;
  const c0 = fitIntercept ? 1 : 0;
  const p = columns.length;
  const q = p + c0;
  const B = blockClasses.length;
  const m = theta.length;
  if (m !== B * q) throw new Error(`marginalEffects: θ has ${m} entries, expected ${B}×${q}`);
  const outcomes = kind === 'binary' ? 1 : classes.length;
  // Full coefficient rows per outcome class (softmax): Bₗ = θ's block for l, 0 for the reference.
  const Bfull = new Float64Array(outcomes * q);
  const blockOf = new Int32Array(outcomes).fill(-1);
  if (kind === 'softmax') {
    blockClasses.forEach((cls, b) => {
      blockOf[cls] = b;
      for (let c = 0; c < q; c++) Bfull[cls * q + c] = theta[b * q + c]!;
    });
  }
  const x = new Float64Array(q);
  const xs = new Float64Array(q);

  // Which columns are discrete (values exactly 0 and 1, both present, among rows of positive weight).
  const isDummy = new Uint8Array(p);
  if (options.dummy) {
    const seen0 = new Uint8Array(p);
    const seen1 = new Uint8Array(p);
    const other = new Uint8Array(p);
    for (let i = 0; i < n; i++) {
      if (weights !== null && !(weights[i]! > 0)) continue;
      row(i, x);
      for (let j = 0; j < p; j++) {
        const v = x[c0 + j]!;
        if (v === 0) seen0[j] = 1;
        else if (v === 1) seen1[j] = 1;
        else other[j] = 1;
      }
    }
    for (let j = 0; j < p; j++) isDummy[j] = seen0[j]! && seen1[j]! && !other[j] ? 1 : 0;
  }

  const E = outcomes * p;
  const method = options.method;
  const probs = new Float64Array(outcomes);
  const dp = new Float64Array(outcomes * m);
  const dp1 = new Float64Array(outcomes * m);
  const probs1 = new Float64Array(outcomes);

  /** pₒ(x̃) and ∇pₒ (outcomes × m) into P, dP. */
  const probabilities = (xv: Float64Array, P: Float64Array, dP: Float64Array) => {
    dP.fill(0);
    if (kind === 'binary') {
      let eta = 0;
      for (let c = 0; c < q; c++) eta += theta[c]! * xv[c]!;
      const e = Math.exp(-Math.abs(eta));
      const pr = eta >= 0 ? 1 / (1 + e) : e / (1 + e);
      P[0] = pr;
      const s = e / ((1 + e) * (1 + e));
      for (let c = 0; c < q; c++) dP[c] = s * xv[c]!;
      return;
    }
    let top = -Infinity;
    const eta = new Float64Array(outcomes);
    for (let l = 0; l < outcomes; l++) {
      let v = 0;
      for (let c = 0; c < q; c++) v += Bfull[l * q + c]! * xv[c]!;
      eta[l] = v;
      top = Math.max(top, v);
    }
    let sum = 0;
    for (let l = 0; l < outcomes; l++) sum += (P[l] = Math.exp(eta[l]! - top));
    for (let l = 0; l < outcomes; l++) P[l] = P[l]! / sum;
    // ∂pₒ/∂θ_{b,c} = pₒ(δ_{o,cls(b)} − p_{cls(b)})·x̃_c
    for (let o = 0; o < outcomes; o++) {
      for (let b = 0; b < B; b++) {
        const cls = blockClasses[b]!;
        const s = P[o]! * ((o === cls ? 1 : 0) - P[cls]!);
        for (let c = 0; c < q; c++) dP[o * m + b * q + c] = s * xv[c]!;
      }
    }
  };

  /** Every effect at x̃ and its gradient, into out (f: E, g: E×m). */
  const atPoint = (xv: Float64Array, out: PointEffects) => {
    out.g.fill(0);
    probabilities(xv, probs, dp);
    for (let j = 0; j < p; j++) {
      const cj = c0 + j;
      if (isDummy[j]) {
        xs.set(xv);
        xs[cj] = 1;
        probabilities(xs, probs1, dp1);
        const P1 = Float64Array.from(probs1);
        const D1 = Float64Array.from(dp1);
        xs[cj] = 0;
        probabilities(xs, probs1, dp1);
        for (let o = 0; o < outcomes; o++) {
          const e = o * p + j;
          const g = out.g.subarray(e * m, (e + 1) * m);
          const p1 = P1[o]!;
          const p0 = probs1[o]!;
          if (method === 'dydx') {
            out.f[e] = p1 - p0;
            for (let t = 0; t < m; t++) g[t] = D1[o * m + t]! - dp1[o * m + t]!;
          } else {
            out.f[e] = Math.log(p1) - Math.log(p0);
            for (let t = 0; t < m; t++) g[t] = D1[o * m + t]! / p1 - dp1[o * m + t]! / p0;
          }
        }
        continue;
      }
      const xj = xv[cj]!;
      for (let o = 0; o < outcomes; o++) {
        const e = o * p + j;
        const g = out.g.subarray(e * m, (e + 1) * m);
        const po = probs[o]!;
        let D: number;
        if (kind === 'binary') {
          const s = po * (1 - po);
          D = s * theta[cj]!;
          const a = s * (1 - 2 * po) * theta[cj]!;
          for (let c = 0; c < q; c++) g[c] = a * xv[c]!;
          g[cj] += s;
        } else {
          let bbar = 0;
          for (let l = 0; l < outcomes; l++) bbar += probs[l]! * Bfull[l * q + cj]!;
          const dev = Bfull[o * q + cj]! - bbar;
          D = po * dev;
          for (let b = 0; b < B; b++) {
            const cls = blockClasses[b]!;
            const pm = probs[cls]!;
            const delta = o === cls ? 1 : 0;
            const a = po * ((delta - pm) * dev - pm * (Bfull[cls * q + cj]! - bbar));
            const gb = g.subarray(b * q, (b + 1) * q);
            for (let c = 0; c < q; c++) gb[c] = a * xv[c]!;
            gb[cj] += po * (delta - pm);
          }
        }
        const dpo = dp.subarray(o * m, (o + 1) * m);
        switch (method) {
          case 'dydx':
            out.f[e] = D;
            break;
          case 'dyex':
            out.f[e] = D * xj;
            for (let t = 0; t < m; t++) g[t] = g[t]! * xj;
            break;
          case 'eydx':
            out.f[e] = D / po;
            for (let t = 0; t < m; t++) g[t] = g[t]! / po - (D / (po * po)) * dpo[t]!;
            break;
          case 'eyex':
            out.f[e] = (D * xj) / po;
            for (let t = 0; t < m; t++) g[t] = (g[t]! * xj) / po - ((D * xj) / (po * po)) * dpo[t]!;
            break;
        }
      }
    }
  };

  const point: PointEffects = { f: new Float64Array(E), g: new Float64Array(E * m) };
  const f = new Float64Array(E);
  const G = new Float64Array(E * m);
  if (options.at === 'overall') {
    let total = 0;
    for (let i = 0; i < n; i++) {
      const w = weights === null ? 1 : weights[i]!;
      if (!(w > 0)) continue;
      row(i, x);
      atPoint(x, point);
      for (let e = 0; e < E; e++) f[e] += w * point.f[e]!;
      for (let t = 0; t < E * m; t++) G[t] += w * point.g[t]!;
      total += w;
    }
    for (let e = 0; e < E; e++) f[e] = f[e]! / total;
    for (let t = 0; t < E * m; t++) G[t] = G[t]! / total;
  } else {
    const at = evaluationPoint(options.at, q, c0, n, row, weights);
    atPoint(at, point);
    f.set(point.f);
    G.set(point.g);
  }

  const z0 = normalCritical(inp.confLevel);
  const stdErr: number[] = [];
  for (let e = 0; e < E; e++) {
    const g = G.subarray(e * m, (e + 1) * m);
    let v = 0;
    for (let r = 0; r < m; r++) {
      const gr = g[r]!;
      if (gr === 0) continue;
      let s = 0;
      for (let c = 0; c < m; c++) s += cov[r * m + c]! * g[c]!;
      v += gr * s;
    }
    stdErr.push(Math.sqrt(Math.max(0, v)));
  }
  const effect = Array.from(f);
  const z = effect.map((v, e) => (v === 0 && stdErr[e] === 0 ? NaN : v / stdErr[e]!));
  const names: string[] = [];
  for (let o = 0; o < outcomes; o++) for (let j = 0; j < p; j++) names.push(kind === 'binary' ? columns[j]! : `${String(classes[o])}: ${columns[j]!}`);
  return {
    at: options.at,
    method,
    dummy: options.dummy,
    dummyColumns: columns.filter((_, j) => isDummy[j]),
    names,
    effect,
    stdErr,
    z,
    pValue: z.map((v) => (Number.isNaN(v) ? NaN : normalTwoSidedP(v))),
    ciLow: effect.map((v, e) => v - z0 * stdErr[e]!),
    ciHigh: effect.map((v, e) => v + z0 * stdErr[e]!),
  };
}

/** x̃ at the columns' (weighted) means or medians, or at zero; the intercept 1. */
function evaluationPoint(at: Exclude<MargeffAt, 'overall'>, q: number, c0: number, n: number, row: (i: number, out: Float64Array) => void, weights: Float64Array | null): Float64Array {
  const point = new Float64Array(q);
  if (c0 === 1) point[0] = 1;
  if (at === 'zero') return point;
  const x = new Float64Array(q);
  if (at === 'mean') {
    let total = 0;
    for (let i = 0; i < n; i++) {
      const w = weights === null ? 1 : weights[i]!;
      if (!(w > 0)) continue;
      row(i, x);
      for (let c = c0; c < q; c++) point[c] += w * x[c]!;
      total += w;
    }
    for (let c = c0; c < q; c++) point[c] = point[c]! / total;
    return point;
  }
  // Weighted median: the median of the data with row i repeated wᵢ times (W = Σ wᵢ): the mean of the
  // values at 0-based positions ⌊(W − 1)/2⌋ and ⌈(W − 1)/2⌉, a value v at position k being the
  // smallest whose cumulative weight exceeds k.
  const used: number[] = [];
  for (let i = 0; i < n; i++) if (weights === null || weights[i]! > 0) used.push(i);
  const values = new Float64Array(used.length * q);
  used.forEach((i, t) => {
    row(i, x);
    values.set(x, t * q);
  });
  const W = weights === null ? used.length : used.reduce((s, i) => s + weights[i]!, 0);
  const lowK = Math.floor((W - 1) / 2);
  const highK = Math.ceil((W - 1) / 2);
  for (let c = c0; c < q; c++) {
    const sorted = used.map((i, t) => ({ v: values[t * q + c]!, w: weights === null ? 1 : weights[i]! })).sort((a, b) => a.v - b.v);
    const valueAt = (k: number) => {
      let cum = 0;
      for (const s of sorted) {
        cum += s.w;
        if (cum > k) return s.v;
      }
      return sorted[sorted.length - 1]!.v;
    };
    point[c] = (valueAt(lowK) + valueAt(highK)) / 2;
  }
  return point;
}
