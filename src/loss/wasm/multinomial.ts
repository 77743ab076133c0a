// AssemblyScript (compiled to WebAssembly by `npm run build`, not by tsc).
//
// The multinomial negative log-likelihood on K logits per row, for a class index y:
//
//     ℓ(z, y) = logsumexp(z) − z_y,   p = softmax(z)
//     ∂ℓ/∂z   = p − e_y
//     ∇²ℓ     = diag(p) − p·pᵀ,       so ∇²ℓ·u = p ∘ (u − pᵀu)
//
// logsumexp is shifted by m = maxₖ zₖ and written m + log1p(Σ_{k≠argmax} e^(zₖ−m)), so nothing
// overflows and a confident, correct row keeps full relative precision (the sum leaves out the
// argmax's exact 1 instead of subtracting it afterwards). The exps run two classes per SIMD
// operation. Pointers are byte offsets; Z (count×K, row-major), s, curv are float64, y is int32,
// all addressed from the block's first row. The stored curvature is sᵢ·pᵢ (K per row); sᵢ = Σₖ sᵢpᵢₖ
// is recovered from it.

import { sexp, vexp, vlog1p } from './vmath';

/**
 * The first passes over a block of rows: every row's logits become e^(zₖ − m) with m = maxₖ zₖ,
 * and for row j, shift[j] = m − z_yⱼ and rest[j] = Σ_{k≠argmax} e^(zₖ − m), so that ℓⱼ = shift[j]
 * + log1p(rest[j]). The exps run over the whole block at once (two vectors per step: more
 * independent work for the processor than one row's few classes). An entry equal to the maximum
 * gives exactly 1, and so does one within 2⁻⁵⁴ below it; all but one of the 1s belong to rest,
 * which is what the exact sum would hold. shift and rest are float64 scratch of `count` entries
 * each; y = 0 means no labels (shift = m).
 */
@inline function exponentiate(Z: usize, count: i32, K: i32, y: usize, shift: usize, rest: usize): void {
  const Kb = <usize>K << 3;
  const pairs = K & ~1;
  for (let j = 0; j < count; j++) {
    const z = Z + <usize>j * Kb;
    const zy = y == 0 ? 0 : load<f64>(z + (<usize>load<i32>(y + (<usize>j << 2)) << 3));
    let mv = v128.load(z);
    for (let k = 2; k < pairs; k += 2) mv = f64x2.pmax(mv, v128.load(z + (<usize>k << 3)));
    let m = Math.max(f64x2.extract_lane(mv, 0), f64x2.extract_lane(mv, 1));
    if (pairs < K) m = Math.max(m, load<f64>(z + (<usize>pairs << 3)));
    mv = f64x2.splat(m);
    for (let k = 0; k < pairs; k += 2) {
      const o = <usize>k << 3;
      v128.store(z + o, f64x2.sub(v128.load(z + o), mv));
    }
    if (pairs < K) store<f64>(z + (<usize>pairs << 3), load<f64>(z + (<usize>pairs << 3)) - m);
    store<f64>(shift + (<usize>j << 3), m - zy);
  }
  const total = count * K;
  let i = 0;
  for (; i + 2 <= total; i += 2) {
    const o = <usize>i << 3;
    v128.store(Z + o, vexp(v128.load(Z + o)));
  }
  for (; i < total; i++) store<f64>(Z + (<usize>i << 3), sexp(load<f64>(Z + (<usize>i << 3))));
  const one = f64x2.splat(1);
  for (let j = 0; j < count; j++) {
    const z = Z + <usize>j * Kb;
    let sum = f64x2.splat(0);
    let ones = i64x2.splat(0);
    for (let k = 0; k < pairs; k += 2) {
      const e = v128.load(z + (<usize>k << 3));
      const top = f64x2.eq(e, one);
      sum = f64x2.add(sum, v128.andnot(e, top));
      ones = i64x2.sub(ones, top); // a true lane is −1
    }
    let r = f64x2.extract_lane(sum, 0) + f64x2.extract_lane(sum, 1);
    let t = i64x2.extract_lane(ones, 0) + i64x2.extract_lane(ones, 1);
    if (pairs < K) {
      const e = load<f64>(z + (<usize>pairs << 3));
      if (e == 1) t++;
      else r += e;
    }
    store<f64>(rest + (<usize>j << 3), r + <f64>(t - 1));
  }
}

/**
 * Σⱼ sⱼ·ℓⱼ = Σⱼ sⱼ·(shift[j] + log1p(rest[j])) over the block, two rows per SIMD operation; with
 * `out` ≠ 0 also writes the unweighted ℓⱼ there, and with `inv` ≠ 0 the factors sⱼ/(1 + rest[j])
 * that turn the row's exps into sⱼ·pⱼ.
 */
@inline function rowLosses(count: i32, s: usize, shift: usize, rest: usize, out: usize, inv: usize): f64 {
  let acc = f64x2.splat(0);
  let j = 0;
  for (; j + 2 <= count; j += 2) {
    const o = <usize>j << 3;
    const r = v128.load(rest + o);
    const l = f64x2.add(v128.load(shift + o), vlog1p(r));
    const sv = v128.load(s + o);
    acc = f64x2.add(acc, f64x2.mul(sv, l));
    if (out != 0) v128.store(out + o, l);
    if (inv != 0) v128.store(inv + o, f64x2.div(sv, f64x2.add(f64x2.splat(1), r)));
  }
  let total = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  if (j < count) {
    const o = <usize>j << 3;
    const r = load<f64>(rest + o);
    const l = load<f64>(shift + o) + f64x2.extract_lane(vlog1p(f64x2.splat(r)), 0);
    const sj = load<f64>(s + o);
    total += sj * l;
    if (out != 0) store<f64>(out + o, l);
    if (inv != 0) store<f64>(inv + o, sj / (1 + r));
  }
  return total;
}

/** The K values at z (and at c, when c ≠ 0) ← the row's exps times w. */
@inline function scaleRow(z: usize, c: usize, K: i32, w: f64): void {
  const wv = f64x2.splat(w);
  let k = 0;
  for (; k + 2 <= K; k += 2) {
    const o = <usize>k << 3;
    const v = f64x2.mul(v128.load(z + o), wv);
    v128.store(z + o, v);
    if (c != 0) v128.store(c + o, v);
  }
  if (k < K) {
    const o = <usize>k << 3;
    const v = load<f64>(z + o) * w;
    store<f64>(z + o, v);
    if (c != 0) store<f64>(c + o, v);
  }
}

/**
 * Over `count` rows: returns Σ sᵢ·ℓᵢ, overwrites Z with the residuals sᵢ·(pᵢ − e_yᵢ) and, when
 * curv ≠ 0, writes the curvature sᵢ·pᵢ to curv (count×K). tmp: 2·count float64s of scratch.
 */
export function multinomialGradient(Z: usize, count: i32, K: i32, y: usize, s: usize, curv: usize, tmp: usize): f64 {
  const shift = tmp;
  const rest = tmp + (<usize>count << 3);
  exponentiate(Z, count, K, y, shift, rest);
  const total = rowLosses(count, s, shift, rest, 0, rest);
  const Kb = <usize>K << 3;
  for (let j = 0; j < count; j++) {
    const z = Z + <usize>j * Kb;
    scaleRow(z, curv == 0 ? 0 : curv + <usize>j * Kb, K, load<f64>(rest + (<usize>j << 3)));
    const zy = z + (<usize>load<i32>(y + (<usize>j << 2)) << 3);
    store<f64>(zy, load<f64>(zy) - load<f64>(s + (<usize>j << 3)));
  }
  return total;
}

/**
 * Σ sᵢ·ℓᵢ over `count` rows (Z is overwritten); with `out` ≠ 0 also writes the unweighted ℓᵢ there.
 * tmp: 2·count float64s of scratch.
 */
export function multinomialValue(Z: usize, count: i32, K: i32, y: usize, s: usize, out: usize, tmp: usize): f64 {
  const shift = tmp;
  const rest = tmp + (<usize>count << 3);
  exponentiate(Z, count, K, y, shift, rest);
  return rowLosses(count, s, shift, rest, out, 0);
}

/** U (count×K) ← sᵢ·(pᵢ ∘ (uᵢ − pᵢᵀuᵢ)), from the stored curvature sᵢ·pᵢ. */
export function multinomialHessian(U: usize, count: i32, K: i32, curv: usize): void {
  const Kb = <usize>K << 3;
  for (let j = 0; j < count; j++) {
    const u = U + <usize>j * Kb;
    const c = curv + <usize>j * Kb;
    let si = 0.0;
    let spu = 0.0;
    for (let k = 0; k < K; k++) {
      const ck = load<f64>(c + (<usize>k << 3));
      si += ck;
      spu += ck * load<f64>(u + (<usize>k << 3));
    }
    if (si == 0) {
      memory.fill(u, 0, Kb);
      continue;
    }
    const t = f64x2.splat(spu / si); // pᵀu
    let k = 0;
    for (; k + 2 <= K; k += 2) {
      const o = <usize>k << 3;
      v128.store(u + o, f64x2.mul(v128.load(c + o), f64x2.sub(v128.load(u + o), t)));
    }
    if (k < K) {
      const o = <usize>k << 3;
      store<f64>(u + o, load<f64>(c + o) * (load<f64>(u + o) - spu / si));
    }
  }
}

/** A (count×K) ← the diagonal of sᵢ·∇²ℓᵢ, sᵢ·pₖ(1 − pₖ), from the stored curvature. */
export function multinomialCurvatureDiagonal(curv: usize, count: i32, K: i32, A: usize): void {
  const Kb = <usize>K << 3;
  for (let j = 0; j < count; j++) {
    const c = curv + <usize>j * Kb;
    const a = A + <usize>j * Kb;
    let si = 0.0;
    for (let k = 0; k < K; k++) si += load<f64>(c + (<usize>k << 3));
    for (let k = 0; k < K; k++) {
      const sp = load<f64>(c + (<usize>k << 3));
      store<f64>(a + (<usize>k << 3), si == 0 ? 0 : sp - (sp * sp) / si);
    }
  }
}

/**
 * Softmax probabilities of `count` rows of K logits, into out (count×K); rows sum to 1. tmp: 2·count
 * float64s of scratch.
 */
export function multinomialProbabilities(Z: usize, count: i32, K: i32, out: usize, tmp: usize): void {
  const rest = tmp + (<usize>count << 3);
  exponentiate(Z, count, K, 0, tmp, rest);
  const Kb = <usize>K << 3;
  for (let j = 0; j < count; j++) {
    const z = Z + <usize>j * Kb;
    scaleRow(z, 0, K, 1 / (1 + load<f64>(rest + (<usize>j << 3))));
    memory.copy(out + <usize>j * Kb, z, Kb);
  }
}
