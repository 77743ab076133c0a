import { arenaOf } from '../backend/arena.js';
import type { ModelMatrix } from '../backend/modelMatrix.js';

/**
 * Feature standardization z = (x − mean) / std of the dense (numeric) columns of a model matrix,
 * with the training mean and the population standard deviation (ddof 0, unweighted); a constant
 * column (std 0) keeps std 1 so that it maps to 0. Indexed columns (indicators of categorical
 * levels and their interactions) are never standardized: their `mean` is 0 and `std` 1.
 */
export interface Standardization {
  readonly mean: Float64Array;
  readonly std: Float64Array;
}

/**
 * Means and population standard deviations of M's dense columns (two passes, for accuracy):
 * mean_j = Σᵢ xᵢⱼ / n, std_j = √(Σᵢ (xᵢⱼ − mean_j)² / n), sums in row order. In kernel memory the
 * passes run in WebAssembly (columnMoments), with the same order of operations as the loop below.
 */
export function fitStandardization(M: ModelMatrix): Standardization {
  const { dense: data, rows: n, denseCols: d } = M;
  const mean = new Float64Array(d);
  const std = new Float64Array(d);
  const arena = arenaOf(data);
  if (arena !== null && d > 0) {
    const mark = arena.mark();
    const m = arena.alloc(16 * d);
    arena.fn('columnMoments')(data.byteOffset, n, d, m, m + 8 * d);
    mean.set(arena.f64(m, d));
    std.set(arena.f64(m + 8 * d, d));
    arena.release(mark);
  } else {
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += data[i * d + j]!;
    for (let j = 0; j < d; j++) mean[j] = mean[j]! / n;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) {
        const c = data[i * d + j]! - mean[j]!;
        std[j] += c * c;
      }
    }
  }
  for (let j = 0; j < d; j++) {
    const s = Math.sqrt(std[j]! / n);
    std[j] = s > 0 ? s : 1;
  }
  return { mean, std };
}

/** Replaces every dense M[i, j] by (M[i, j] − mean[j]) / std[j], in place (mean, std: one per dense column). */
export function applyStandardization(M: ModelMatrix, s: Standardization): void {
  const { dense: data, rows: n, denseCols: d } = M;
  const arena = arenaOf(data);
  if (arena !== null && d > 0) {
    const mark = arena.mark();
    const m = arena.alloc(16 * d);
    arena.f64(m, d).set(s.mean);
    arena.f64(m + 8 * d, d).set(s.std);
    arena.fn('standardizeRows')(data.byteOffset, n, d, m, m + 8 * d);
    arena.release(mark);
    return;
  }
  for (let i = 0; i < n; i++) {
    const off = i * d;
    for (let j = 0; j < d; j++) data[off + j] = (data[off + j]! - s.mean[j]!) / s.std[j]!;
  }
}

/** Standardization of the dense columns (internal order) as stored per coefficient (public order). */
export function publicStandardization(dense: Standardization, order: Int32Array, denseCols: number, p: number): Standardization {
  const mean = new Float64Array(p);
  const std = new Float64Array(p).fill(1);
  for (let j = 0; j < p; j++) {
    const c = order[j]!;
    if (c < denseCols) {
      mean[j] = dense.mean[c]!;
      std[j] = dense.std[c]!;
    }
  }
  return { mean, std };
}

/** The stored standardization (public order) for the dense columns of a model matrix with this order. */
export function denseStandardization(s: Standardization, order: Int32Array, denseCols: number): Standardization {
  const mean = new Float64Array(denseCols);
  const std = new Float64Array(denseCols).fill(1);
  for (let j = 0; j < order.length; j++) {
    const c = order[j]!;
    if (c < denseCols) {
      mean[c] = s.mean[j]!;
      std[c] = s.std[j]!;
    }
  }
  return { mean, std };
}
