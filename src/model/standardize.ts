import type { DenseMatrix } from '../backend/dense.js';

/**
 * Feature standardization z = (x − mean) / std, with the training mean and the population standard
 * deviation (ddof 0, unweighted); a constant feature (std 0) keeps std 1 so it maps to 0.
 */
export interface Standardization {
  readonly mean: Float64Array;
  readonly std: Float64Array;
}

/** Column means and population standard deviations of X (two-pass, for accuracy). */
export function fitStandardization(X: DenseMatrix): Standardization {
  const { data, rows: n, cols: d } = X;
  const mean = new Float64Array(d);
  const std = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += data[i * d + j]!;
  for (let j = 0; j < d; j++) mean[j] = mean[j]! / n;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const c = data[i * d + j]! - mean[j]!;
      std[j] += c * c;
    }
  }
  for (let j = 0; j < d; j++) {
    const s = Math.sqrt(std[j]! / n);
    std[j] = s > 0 ? s : 1;
  }
  return { mean, std };
}

/** Replaces every X[i, j] by (X[i, j] − mean[j]) / std[j], in place. */
export function applyStandardization(X: DenseMatrix, s: Standardization): void {
  const { data, rows: n, cols: d } = X;
  for (let i = 0; i < n; i++) {
    const off = i * d;
    for (let j = 0; j < d; j++) data[off + j] = (data[off + j]! - s.mean[j]!) / s.std[j]!;
  }
}
