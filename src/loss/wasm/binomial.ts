// AssemblyScript (compiled to WebAssembly by `npm run build`, not by tsc).
//
// The binomial negative log-likelihood on one logit z per row (K = 1), for y ∈ {0, 1}:
//
//     ℓ(z, y) = softplus(z) − y·z = max(z, 0) − y·z + log1p(e^−|z|)
//     ∂ℓ/∂z   = σ(z) − y,      σ(z) = 1/(1 + e^−|z|) for z ≥ 0, e^−|z|/(1 + e^−|z|) for z < 0
//     ∂²ℓ/∂z² = σ(z)·(1 − σ(z)) = e^−|z| / (1 + e^−|z|)²
//
// One exp and one log1p of e^−|z| ∈ (0, 1] per row: nothing overflows, and a confident, correct row
// keeps full relative precision (ℓ ≈ e^−|z|, never 1 − (1 − e^−|z|)). Rows are processed in pairs,
// one per SIMD lane. Pointers are byte offsets; z, s, curv are float64, y is int32; all are
// addressed from the block's first row.

import { sexp, slog1p, vexp, vlog1p } from './vmath';

/** The two rows' labels (int32 at y) as float64 lanes. */
@inline function labelPair(y: usize): v128 {
  return f64x2.convert_low_i32x4_s(v128.load64_zero(y));
}

/** ℓ = max(z, 0) − y·z + log1p(e) for two rows, given e = e^−|z|. */
@inline function lossPair(zv: v128, yv: v128, e: v128): v128 {
  return f64x2.add(f64x2.sub(f64x2.pmax(zv, f64x2.splat(0)), f64x2.mul(yv, zv)), vlog1p(e));
}

/**
 * Over `count` rows: returns Σ sᵢ·ℓᵢ, overwrites z with the residuals sᵢ·(σ(zᵢ) − yᵢ) and, when
 * curv ≠ 0, writes the curvature sᵢ·σ(zᵢ)(1 − σ(zᵢ)) to curv.
 */
export function binomialGradient(z: usize, count: i32, y: usize, s: usize, curv: usize): f64 {
  let acc = f64x2.splat(0);
  let j = 0;
  for (; j + 2 <= count; j += 2) {
    const o = <usize>j << 3;
    const zv = v128.load(z + o);
    const yv = labelPair(y + (<usize>j << 2));
    const sv = v128.load(s + o);
    const e = vexp(f64x2.neg(f64x2.abs(zv)));
    acc = f64x2.add(acc, f64x2.mul(sv, lossPair(zv, yv, e)));
    const q = f64x2.add(f64x2.splat(1), e);
    const num = v128.bitselect(f64x2.splat(1), e, f64x2.ge(zv, f64x2.splat(0)));
    v128.store(z + o, f64x2.mul(sv, f64x2.sub(f64x2.div(num, q), yv)));
    if (curv != 0) v128.store(curv + o, f64x2.div(f64x2.mul(sv, e), f64x2.mul(q, q)));
  }
  let total = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  if (j < count) {
    const o = <usize>j << 3;
    const zi = load<f64>(z + o);
    const yi = <f64>load<i32>(y + (<usize>j << 2));
    const si = load<f64>(s + o);
    const e = sexp(-Math.abs(zi));
    total += si * (Math.max(zi, 0) - yi * zi + slog1p(e));
    const q = 1 + e;
    store<f64>(z + o, si * ((zi >= 0 ? 1 : e) / q - yi));
    if (curv != 0) store<f64>(curv + o, (si * e) / (q * q));
  }
  return total;
}

/** Σ sᵢ·ℓᵢ over `count` rows; with `out` ≠ 0 also writes the unweighted ℓᵢ there. */
export function binomialValue(z: usize, count: i32, y: usize, s: usize, out: usize): f64 {
  let acc = f64x2.splat(0);
  let j = 0;
  for (; j + 2 <= count; j += 2) {
    const o = <usize>j << 3;
    const zv = v128.load(z + o);
    const l = lossPair(zv, labelPair(y + (<usize>j << 2)), vexp(f64x2.neg(f64x2.abs(zv))));
    acc = f64x2.add(acc, f64x2.mul(v128.load(s + o), l));
    if (out != 0) v128.store(out + o, l);
  }
  let total = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  if (j < count) {
    const o = <usize>j << 3;
    const zi = load<f64>(z + o);
    const l = Math.max(zi, 0) - <f64>load<i32>(y + (<usize>j << 2)) * zi + slog1p(sexp(-Math.abs(zi)));
    total += load<f64>(s + o) * l;
    if (out != 0) store<f64>(out + o, l);
  }
  return total;
}

/** u (count) ← curvᵢ·uᵢ: the Hessian of the loss applied to the logits of a direction. */
export function binomialHessian(u: usize, count: i32, curv: usize): void {
  let j = 0;
  for (; j + 2 <= count; j += 2) {
    const o = <usize>j << 3;
    v128.store(u + o, f64x2.mul(v128.load(u + o), v128.load(curv + o)));
  }
  if (j < count) store<f64>(u + (<usize>j << 3), load<f64>(u + (<usize>j << 3)) * load<f64>(curv + (<usize>j << 3)));
}

/**
 * P(class 0), P(class 1) for `count` logits, into out (count×2, row-major). Both columns are
 * computed directly, so a tiny probability is e^−|z|/(1 + e^−|z|), not 1 − (almost 1).
 */
export function binomialProbabilities(z: usize, count: i32, out: usize): void {
  for (let j = 0; j < count; j++) {
    const zi = load<f64>(z + (<usize>j << 3));
    const e = sexp(-Math.abs(zi));
    const big = 1 / (1 + e);
    const small = e / (1 + e);
    const o = out + (<usize>j << 4);
    store<f64>(o, zi >= 0 ? small : big);
    store<f64>(o, zi >= 0 ? big : small, 8);
  }
}
