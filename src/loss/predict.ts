import { type DenseMatrix, isDense } from '../backend/dense.js';
import { type ModelMatrix, denseModelMatrix, describeMatrix, matrixArena } from '../backend/modelMatrix.js';
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
    return Float64Array.from(arena.f64(out, M.rows * width));
  } finally {
    arena.release(mark);
  }
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
