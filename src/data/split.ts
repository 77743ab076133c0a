import { createRng } from '../util/random.js';

/**
 * A stratified, seeded hold-out split of row indices: the test set gets round(testSize·n) rows,
 * shared among the classes in proportion to their sizes (largest remainders), every class of ≥ 2 rows
 * keeping at least one row on each side. Indices are ascending within each set.
 */
export function stratifiedSplit(labels: ArrayLike<number | string>, testSize: number, seed: number): { train: Uint32Array; test: Uint32Array } {
  if (!(testSize > 0 && testSize < 1)) throw new RangeError(`testSize must be between 0 and 1 (exclusive), got ${testSize}`);
  const n = labels.length;
  const byClass = new Map<number | string, number[]>();
  for (let i = 0; i < n; i++) {
    const key = labels[i]!;
    const list = byClass.get(key);
    if (list === undefined) byClass.set(key, [i]);
    else list.push(i);
  }
  const nTest = Math.round(testSize * n);
  if (nTest < 1 || nTest > n - 1) {
    throw new RangeError(`testSize ${testSize} of ${n} rows leaves an empty ${nTest < 1 ? 'test' : 'training'} set`);
  }
  // Quotas by largest remainder, then clamped to [1, size − 1] for classes with ≥ 2 rows.
  const groups = [...byClass.values()];
  const exact = groups.map((g) => (g.length * nTest) / n);
  const quota = exact.map(Math.floor);
  let left = nTest - quota.reduce((a, b) => a + b, 0);
  const order = exact.map((e, k) => [e - Math.floor(e), k] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, k] of order) {
    if (left <= 0) break;
    quota[k] = quota[k]! + 1;
    left--;
  }
  groups.forEach((g, k) => {
    if (g.length >= 2) quota[k] = Math.min(Math.max(quota[k]!, 1), g.length - 1);
  });
  const rng = createRng(seed);
  const test: number[] = [];
  const train: number[] = [];
  groups.forEach((g, k) => {
    const shuffled = rng.shuffle([...g]);
    test.push(...shuffled.slice(0, quota[k]));
    train.push(...shuffled.slice(quota[k]));
  });
  return { train: Uint32Array.from(train.sort((a, b) => a - b)), test: Uint32Array.from(test.sort((a, b) => a - b)) };
}
