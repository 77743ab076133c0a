import type { PointwiseLoss } from './pointwise.js';

/**
 * The multinomial negative log-likelihood on K logits, for a class index y:
 *
 *     ℓ(z, y) = logsumexp(z) − z_y,   p = softmax(z)
 *     ∂ℓ/∂z   = p − e_y
 *     ∇²ℓ     = diag(p) − p·pᵀ,       so ∇²ℓ·u = p ∘ (u − pᵀu)
 *
 * logsumexp is shifted by m = maxₖ zₖ and written m + log1p(Σ_{k≠argmax} e^(zₖ−m)), so nothing
 * overflows and a confident, correct row keeps full relative precision.
 * The stored curvature is sᵢ·pᵢ (curvStride K); sᵢ = Σₖ sᵢpᵢₖ is recovered from it.
 */
export function multinomialLoss(K: number): PointwiseLoss {
  return {
    K,
    nClasses: K,
    curvStride: K,
    gradientBlock(Z, count, start, rows, y, s, curv) {
      let acc = 0;
      for (let j = 0; j < count; j++) {
        const i = rows === null ? start + j : rows[start + j]!;
        const off = j * K;
        const si = s === null ? 1 : s[i]!;
        const yi = y[i]!;
        let m = Z[off]!;
        let a = 0;
        for (let k = 1; k < K; k++) if (Z[off + k]! > m) { m = Z[off + k]!; a = k; }
        const zy = Z[off + yi]!;
        let rest = 0;
        for (let k = 0; k < K; k++) {
          const e = Math.exp(Z[off + k]! - m);
          Z[off + k] = e;
          if (k !== a) rest += e;
        }
        acc += si * (m - zy + Math.log1p(rest));
        const inv = 1 / (1 + rest);
        const coff = i * K;
        for (let k = 0; k < K; k++) {
          const p = Z[off + k]! * inv;
          Z[off + k] = si * (k === yi ? p - 1 : p);
          if (curv !== null) curv[coff + k] = si * p;
        }
      }
      return acc;
    },
    valueBlock(Z, count, start, rows, y, s) {
      let acc = 0;
      for (let j = 0; j < count; j++) {
        const i = rows === null ? start + j : rows[start + j]!;
        const off = j * K;
        let m = Z[off]!;
        let a = 0;
        for (let k = 1; k < K; k++) if (Z[off + k]! > m) { m = Z[off + k]!; a = k; }
        let rest = 0;
        for (let k = 0; k < K; k++) if (k !== a) rest += Math.exp(Z[off + k]! - m);
        acc += (s === null ? 1 : s[i]!) * (m - Z[off + y[i]!]! + Math.log1p(rest));
        Z.fill(0, off, off + K);
      }
      return acc;
    },
    hessianBlock(U, count, start, rows, curv) {
      for (let j = 0; j < count; j++) {
        const i = rows === null ? start + j : rows[start + j]!;
        const off = j * K;
        const coff = i * K;
        let si = 0;
        let spu = 0;
        for (let k = 0; k < K; k++) {
          si += curv[coff + k]!;
          spu += curv[coff + k]! * U[off + k]!;
        }
        if (si === 0) {
          U.fill(0, off, off + K);
          continue;
        }
        const t = spu / si; // pᵀu
        for (let k = 0; k < K; k++) U[off + k] = curv[coff + k]! * (U[off + k]! - t);
      }
    },
    curvatureDiagonal(curv, n, A) {
      for (let i = 0; i < n; i++) {
        const coff = i * K;
        let si = 0;
        for (let k = 0; k < K; k++) si += curv[coff + k]!;
        for (let k = 0; k < K; k++) {
          const sp = curv[coff + k]!;
          A[coff + k] = si === 0 ? 0 : sp - (sp * sp) / si; // sᵢ·pₖ(1 − pₖ)
        }
      }
    },
    probabilities(Z, count, out) {
      for (let j = 0; j < count; j++) {
        const off = j * K;
        let m = -Infinity;
        for (let k = 0; k < K; k++) if (Z[off + k]! > m) m = Z[off + k]!;
        let sum = 0;
        for (let k = 0; k < K; k++) {
          const e = Math.exp(Z[off + k]! - m);
          out[off + k] = e;
          sum += e;
        }
        for (let k = 0; k < K; k++) out[off + k] = out[off + k]! / sum;
      }
    },
  };
}
