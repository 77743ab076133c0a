import { createRng } from '../util/random.js';

/**
 * Stratified folds for cross-validation: within each class, the class's rows in a seeded random
 * order are dealt to folds 0, 1, …, F−1, 0, 1, … (so every fold holds ⌊m/F⌋ or ⌈m/F⌉ of a class of
 * m rows, as scikit-learn's StratifiedKFold and cv.glmnet's usual stratified foldid do). Rows whose
 * class is −1 (no label) get fold −1 and take part in no fold.
 *
 * yIdx: each row's class index (or −1); returns each row's fold.
 */
export function stratifiedFolds(yIdx: Int32Array, nClasses: number, folds: number, seed: number): Int32Array {
  if (!Number.isInteger(folds) || folds < 2) throw new RangeError(`folds must be a whole number ≥ 2, got ${folds}`);
  const byClass: number[][] = Array.from({ length: nClasses }, () => []);
  for (let i = 0; i < yIdx.length; i++) if (yIdx[i]! >= 0) byClass[yIdx[i]!]!.push(i);
  const out = new Int32Array(yIdx.length).fill(-1);
  const rng = createRng(seed);
  for (const rows of byClass) {
    // Fisher–Yates with the seeded generator, then dealt round-robin.
    for (let t = rows.length - 1; t > 0; t--) {
      const u = Math.floor(rng.next() * (t + 1));
      const tmp = rows[t]!;
      rows[t] = rows[u]!;
      rows[u] = tmp;
    }
    rows.forEach((i, t) => {
      out[i] = t % folds;
    });
  }
  return out;
}

/** Checks explicit fold numbers (0 … F−1, or −1 for a row in no fold) and returns F. */
export function checkFoldIds(foldIds: ArrayLike<number>, n: number): number {
  if (foldIds.length !== n) throw new RangeError(`foldIds has ${foldIds.length} entries for ${n} rows`);
  let F = 0;
  for (let i = 0; i < n; i++) {
    const f = foldIds[i]!;
    if (!Number.isInteger(f) || f < -1) throw new RangeError(`foldIds[${i}] must be a fold number ≥ 0 (or −1 for none), got ${f}`);
    F = Math.max(F, f + 1);
  }
  const seen = new Uint8Array(F);
  for (let i = 0; i < n; i++) if (foldIds[i]! >= 0) seen[foldIds[i]!] = 1;
  if (F < 2 || seen.includes(0)) throw new RangeError(`foldIds must number at least 2 folds 0 … F−1, each with rows`);
  return F;
}
