/**
 * The row kernels every backend runs: plain loops over raw row-major Float64Array storage, 4-way
 * unrolled with independent accumulators (V8 does not vectorize; the unrolling gives it
 * instruction-level parallelism). They are self-contained functions (no imports, no closures) so
 * that threads.ts can ship their source to worker threads: one definition serves both backends.
 */

/** Σⱼ X[off + j]·W[woff + j], j < d. */
export function dotRow(X: Float64Array, off: number, W: Float64Array, woff: number, d: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let j = 0;
  for (; j + 3 < d; j += 4) {
    s0 += X[off + j]! * W[woff + j]!;
    s1 += X[off + j + 1]! * W[woff + j + 1]!;
    s2 += X[off + j + 2]! * W[woff + j + 2]!;
    s3 += X[off + j + 3]! * W[woff + j + 3]!;
  }
  for (; j < d; j++) s0 += X[off + j]! * W[woff + j]!;
  return s0 + s1 + (s2 + s3);
}

/** G[goff + j] += r·X[off + j], j < d. */
export function axpyRow(r: number, X: Float64Array, off: number, G: Float64Array, goff: number, d: number): void {
  let j = 0;
  for (; j + 3 < d; j += 4) {
    G[goff + j] += r * X[off + j]!;
    G[goff + j + 1] += r * X[off + j + 1]!;
    G[goff + j + 2] += r * X[off + j + 2]!;
    G[goff + j + 3] += r * X[off + j + 3]!;
  }
  for (; j < d; j++) G[goff + j] += r * X[off + j]!;
}

/** Z[(i − r0)·K + k] = X[i]·W[k] + b[k] for rows i ∈ [r0, r1) (b null: no intercept). */
export function forwardRows(
  X: Float64Array, d: number, W: Float64Array, b: Float64Array | null, K: number, Z: Float64Array, zBase: number, r0: number, r1: number,
): void {
  for (let i = r0; i < r1; i++) {
    const off = i * d;
    const zo = zBase + (i - r0) * K;
    for (let k = 0; k < K; k++) Z[zo + k] = dotRow(X, off, W, k * d, d) + (b === null ? 0 : b[k]!);
  }
}

/** G (K×d) += Σᵢ Z[(i − r0)·K + k]·X[i], gb (K) += Σᵢ Z[…] over rows i ∈ [r0, r1). Zero residuals are skipped. */
export function backwardRows(
  X: Float64Array, d: number, Z: Float64Array, zBase: number, K: number, G: Float64Array, gb: Float64Array | null, r0: number, r1: number,
): void {
  for (let i = r0; i < r1; i++) {
    const off = i * d;
    const zo = zBase + (i - r0) * K;
    for (let k = 0; k < K; k++) {
      const r = Z[zo + k]!;
      if (r !== 0) axpyRow(r, X, off, G, k * d, d);
      if (gb !== null) gb[k] += r;
    }
  }
}
