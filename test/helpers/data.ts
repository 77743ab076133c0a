import { join } from 'node:path';
import { dense, type DenseMatrix } from '../../src/backend/dense.js';
import { readCsv } from '../../src/data/csv.js';
import { datasetsDir } from '../../src/data/registry.js';
import type { Label } from '../../src/util/labels.js';

/**
 * A bundled data set (a file of datasets/) as a dense matrix of its numeric feature columns (every
 * column but the target, in file order), its labels and feature names: for tests that exercise the
 * matrix API.
 */
export function loadMatrix(file: string, target: string): { X: DenseMatrix; y: Label[]; names: string[] } {
  const t = readCsv(join(datasetsDir(), file));
  const features = t.columns.filter((c) => c.name !== target);
  const X = new Float64Array(t.n * features.length);
  features.forEach((c, j) => {
    if (c.kind !== 'numeric') throw new Error(`${file}: column ${c.name} is not numeric`);
    for (let i = 0; i < t.n; i++) X[i * features.length + j] = c.values[i]!;
  });
  const yc = t.columns.find((c) => c.name === target)!;
  const y: Label[] = yc.kind === 'numeric' ? Array.from(yc.values) : Array.from(yc.codes, (k) => yc.levels[k]!);
  return { X: dense(X, t.n, features.length), y, names: features.map((c) => c.name) };
}
