import { describe, expect, it } from 'vitest';
import { type Classifier, bundledDatasets, fit, loadBundled } from '../../src/index.js';
import { toOnnx } from '../../src/export/index.js';
import { argmaxLabels, clearRows, flat, matrixFeed, maxAbsDiff, runOnnx, tableFeeds } from './helpers.js';

/**
 * Every bundled data set, fitted with the defaults (and, when it has two classes, also with
 * standardize), on its table (one graph input per column) and on its numeric columns as a matrix
 * (one input X): the exported graph, run in ONNX Runtime, must give predict's labels and
 * predictProba's probabilities to 1e-12 (float64), 1e-6 (float32).
 */

const F64_TOL = 1e-12;
/**
 * float32: the graph reads float inputs, so it is compared with the model's probabilities for the
 * same inputs rounded to float32 (on raw breast-cancer, rounding the inputs alone moves some
 * probabilities by 4.5e-7; what is measured here is what the float32 graph itself adds).
 */
const F32_TOL = 1e-6;

/** The table with every numeric value rounded to float32, as a float32 graph input holds it. */
function rounded(table: ReturnType<typeof loadBundled>['table']): ReturnType<typeof loadBundled>['table'] {
  return { ...table, columns: table.columns.map((c) => (c.kind === 'numeric' ? { ...c, values: c.values.map(Math.fround) } : c)) };
}

async function checkTableModel(model: Classifier, table: ReturnType<typeof loadBundled>['table']): Promise<void> {
  const P = model.probabilities(table);
  const want = model.predict(table);
  const f64 = await runOnnx(toOnnx(model), tableFeeds(model, table));
  expect(f64.probabilityType).toBe('float64');
  expect(maxAbsDiff(f64.probabilities, P)).toBeLessThanOrEqual(F64_TOL);
  expect(f64.labels).toEqual(want);
  const f32 = await runOnnx(toOnnx(model, { float32: true }), tableFeeds(model, table, true));
  expect(f32.probabilityType).toBe('float32');
  expect(maxAbsDiff(f32.probabilities, model.probabilities(rounded(table)))).toBeLessThanOrEqual(F32_TOL);
  // float32 labels: equal wherever the float64 probabilities are not a near tie.
  const C = model.classes.length;
  for (const i of clearRows(P, C, 1e-5)) expect(f32.labels[i]).toEqual(want[i]);
}

describe('ONNX export of the bundled data sets', () => {
  // Matrix fits need every feature numeric: the sets with text columns (infert, birthwt) have none.
  const allNumeric = (name: string): boolean => {
    const { table, target } = loadBundled(name);
    return table.columns.every((c) => c.name === target || c.kind === 'numeric');
  };
  for (const { name } of bundledDatasets()) {
    it(`${name}: table fits (defaults; standardize when binary) run in ONNX Runtime as predict does`, async () => {
      const { table, target } = loadBundled(name);
      const base = fit(table, { target });
      await checkTableModel(base, table);
      if (base.classes.length === 2) await checkTableModel(fit(table, { target, standardize: true }), table);
    });

    if (allNumeric(name)) it(`${name}: matrix fits of its numeric columns (input X, standardization in the graph)`, async () => {
      const { table, target } = loadBundled(name);
      const features = table.columns.filter((c) => c.name !== target);
      const y = table.columns.find((c) => c.name === target)!;
      const X = Array.from({ length: table.n }, (_, i) => features.map((c) => (c.kind === 'numeric' ? c.values[i]! : NaN)));
      const labels = Array.from({ length: table.n }, (_, i) => (y.kind === 'numeric' ? y.values[i]! : y.levels[y.codes[i]!]!));
      const variants = [{ standardize: false }, ...(new Set(labels).size === 2 ? [{ standardize: true }] : [])];
      for (const opts of variants) {
        const model = fit(X, labels, opts);
        const P = flat(model.predictProba(X));
        const f64 = await runOnnx(toOnnx(model), matrixFeed(X));
        expect(maxAbsDiff(f64.probabilities, P)).toBeLessThanOrEqual(F64_TOL);
        expect(f64.labels).toEqual(model.predict(X));
        const f32 = await runOnnx(toOnnx(model, { float32: true }), matrixFeed(X, true));
        const X32 = X.map((row) => row.map(Math.fround));
        expect(maxAbsDiff(f32.probabilities, flat(model.predictProba(X32)))).toBeLessThanOrEqual(F32_TOL);
        const want = argmaxLabels(P, model.classes);
        for (const i of clearRows(P, model.classes.length, 1e-5)) expect(f32.labels[i]).toEqual(want[i]);
      }
    });
  }
});
