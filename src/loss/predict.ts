import type { DenseMatrix } from '../backend/dense.js';
import { resolveThreads } from '../backend/passes.js';
import { placeMatrix } from '../backend/arena.js';
import { lossPasses } from './objective.js';
import type { PointwiseLoss } from './pointwise.js';

/** Fitted coefficients in the layout of layout.ts: W (K×d, row-major) and b (K). */
export interface LinearCoefficients {
  coef: Float64Array;
  intercept: Float64Array;
}

/**
 * Runs one prediction pass of the kernels over X (n×d) with coefficients W, b: `fn` writes `width`
 * values per row to an output of n × width float64s, which is returned as a copy. X is read in
 * place when it lives in kernel memory; whatever the pass allocates there is given back.
 */
function predictionPass(X: DenseMatrix, c: LinearCoefficients, fn: string, width: number, threads: number | 'auto'): Float64Array {
  const K = c.intercept.length;
  const d = X.cols;
  if (c.coef.length !== K * d) throw new RangeError(`coef has ${c.coef.length} values but K×d = ${K}×${d} needs ${K * d}`);
  const { arena, ptr } = placeMatrix(X.data, (K * d + K + X.rows * width) * 8);
  const mark = arena.mark();
  try {
    const Wp = arena.alloc((K * d + K) * 8);
    const W = arena.f64(Wp, K * d + K);
    W.set(c.coef);
    W.set(c.intercept, K * d);
    const out = arena.alloc(X.rows * width * 8, false); // the pass writes every value
    const passes = lossPasses(arena, X.rows, K, d, resolveThreads(threads, X.rows * d * K));
    passes.run(fn, [ptr, d, K, Wp, Wp + K * d * 8, out]);
    return Float64Array.from(arena.f64(out, X.rows * width));
  } finally {
    arena.release(mark);
  }
}

/** The logits Z (n×K, row-major) = X·Wᵀ + 1·bᵀ of every row. */
export function linearLogits(X: DenseMatrix, c: LinearCoefficients, threads: number | 'auto' = 'auto'): Float64Array {
  return predictionPass(X, c, 'logitRows', c.intercept.length, threads);
}

/**
 * Class probabilities (n × loss.nClasses, row-major, rows summing to 1) from the logits of every
 * row: binomial [1 − σ(z), σ(z)] with both entries computed directly, multinomial softmax(z).
 */
export function linearProbabilities(
  X: DenseMatrix, loss: PointwiseLoss, c: LinearCoefficients, threads: number | 'auto' = 'auto',
): Float64Array {
  if (c.intercept.length !== loss.K) throw new RangeError(`the loss has K = ${loss.K} logits but there are ${c.intercept.length} intercepts`);
  return predictionPass(X, c, 'probabilityRows', loss.nClasses, threads);
}
