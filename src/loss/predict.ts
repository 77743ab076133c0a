import { type DenseMatrix, firstNonFinite, isDense } from '../backend/dense.js';
import { type ModelMatrix, denseModelMatrix, describeMatrix, matrixArena, matrixRow } from '../backend/modelMatrix.js';
import { resolveThreads } from '../backend/passes.js';
import { lossPasses } from './objective.js';
import type { PointwiseLoss } from './pointwise.js';

/** Fitted coefficients in the layout of layout.ts: W (K×p, row-major) and b (K). */
export interface LinearCoefficients {
  coef: Float64Array;
  intercept: Float64Array;
}

/**
 * Runs one prediction pass of the kernels over the rows of X (n×p, a model matrix or dense) with
 * coefficients W, b: `fn` writes `width` values per row to an output of n × width float64s, which
 * is returned as a copy. X is read in place when it lives in kernel memory; whatever the pass
 * allocates there is given back.
 */
function predictionPass(X: ModelMatrix | DenseMatrix, c: LinearCoefficients, fn: string, width: number, threads: number | 'auto'): Float64Array {
  const K = c.intercept.length;
  const M = isDense(X) ? denseModelMatrix(X, (K * X.cols + K + X.rows * width) * 8 + 1024) : X;
  const p = M.cols;
  if (c.coef.length !== K * p) throw new RangeError(`coef has ${c.coef.length} values but K×p = ${K}×${p} needs ${K * p}`);
  const arena = matrixArena(M);
  const mark = arena.mark();
  try {
    const desc = describeMatrix(M);
    const Wp = arena.alloc((K * p + K) * 8);
    const W = arena.f64(Wp, K * p + K);
    W.set(c.coef);
    W.set(c.intercept, K * p);
    const out = arena.alloc(M.rows * width * 8, false); // the pass writes every value
    const passes = lossPasses(arena, M.rows, K, p, resolveThreads(threads, M.rows * (M.denseCols + M.blocks.length) * K));
    passes.run(fn, [desc, K, Wp, Wp + K * p * 8, out]);
    const view = arena.f64(out, M.rows * width);
    // Logits that overflowed (∞ − ∞ in a dot product with values near the float64 limit) are
    // recomputed row by row, exactly in sign (exactLogits); a SIMD scan finds them.
    for (let from = 0; ;) {
      const t = firstNonFinite(view.subarray(from * width));
      if (t < 0) break;
      const i = from + Math.floor(t / width);
      const z = exactLogits(M, c, i);
      view.set(fn === 'logitRows' ? z : probabilitiesOfLogits(z), i * width);
      from = i + 1;
    }
    const result = Float64Array.from(view);
    return result;
  } finally {
    arena.release(mark);
  }
}

/**
 * The logits of row i computed so that they are never NaN for finite inputs: zₖ = s·Σⱼ Wₖⱼ(xⱼ/s) + bₖ
 * with s the row's largest |xⱼ| (at least 1), so no product or partial sum overflows; the result
 * is ±∞ only when the true value exceeds the float64 range.
 */
export function exactLogits(M: ModelMatrix, c: LinearCoefficients, i: number): Float64Array {
  const K = c.intercept.length;
  const p = M.cols;
  const x = matrixRow(M, i, new Float64Array(p));
  let s = 1;
  for (let j = 0; j < p; j++) s = Math.max(s, Math.abs(x[j]!));
  const z = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    let acc = 0;
    for (let j = 0; j < p; j++) acc += c.coef[k * p + j]! * (x[j]! / s);
    z[k] = acc * s + c.intercept[k]!;
  }
  return z;
}

/**
 * Class probabilities from logits that may be ±∞: binary [1 − σ(z), σ(z)] (σ(+∞) = 1); softmax
 * with every largest (+∞) logit sharing the probability, else the usual shifted exponentials.
 */
export function probabilitiesOfLogits(z: Float64Array): Float64Array {
  if (z.length === 1) {
    const e = Math.exp(-Math.abs(z[0]!));
    const big = 1 / (1 + e);
    const small = e / (1 + e);
    return Float64Array.of(z[0]! >= 0 ? small : big, z[0]! >= 0 ? big : small);
  }
  let m = -Infinity;
  for (const v of z) m = Math.max(m, v);
  const out = new Float64Array(z.length);
  if (m === Infinity || m === -Infinity) {
    // All the mass on the largest logits (all of them when every logit is −∞).
    let ties = 0;
    for (const v of z) if (v === m) ties++;
    z.forEach((v, k) => {
      out[k] = v === m ? 1 / ties : 0;
    });
    return out;
  }
  let sum = 0;
  z.forEach((v, k) => {
    out[k] = Math.exp(v - m);
    sum += out[k]!;
  });
  for (let k = 0; k < z.length; k++) out[k] = out[k]! / sum;
  return out;
}

/** The logits Z (n×K, row-major) = X·Wᵀ + 1·bᵀ of every row. */
export function linearLogits(X: ModelMatrix | DenseMatrix, c: LinearCoefficients, threads: number | 'auto' = 'auto'): Float64Array {
  return predictionPass(X, c, 'logitRows', c.intercept.length, threads);
}

/**
 * Class probabilities (n × loss.nClasses, row-major, rows summing to 1) from the logits of every
 * row: binomial [1 − σ(z), σ(z)] with both entries computed directly, multinomial softmax(z).
 */
export function linearProbabilities(
  X: ModelMatrix | DenseMatrix, loss: PointwiseLoss, c: LinearCoefficients, threads: number | 'auto' = 'auto',
): Float64Array {
  if (c.intercept.length !== loss.K) throw new RangeError(`the loss has K = ${loss.K} logits but there are ${c.intercept.length} intercepts`);
  return predictionPass(X, c, 'probabilityRows', loss.nClasses, threads);
}
