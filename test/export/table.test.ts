import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type Classifier, type FitFunctionOptions, type Table, fit, readCsv } from '../../src/index.js';
import { toOnnx } from '../../src/export/index.js';
import { argmaxLabels, clearRows, flat, matrixFeed, maxAbsDiff, runOnnx, tableFeeds } from './helpers.js';

/**
 * Table models (one graph input per column): formulas with C(), interactions of every kind,
 * no intercept, standardization and mean imputation, fitted on test/fixtures/tabular/ (see its
 * README for where each file comes from). The graph must give predictProba's probabilities (1e-12;
 * float32 1e-6) and predict's labels on the training rows, and predictTable's with unknownLevel
 * 'zero' on rows with levels the fit never saw.
 */

const TABULAR = fileURLToPath(new URL('../fixtures/tabular/', import.meta.url));
const read = (file: string): Table => readCsv(join(TABULAR, file));

type Row = Record<string, number | string | null>;

/** The rows of a table as records (missing values null). */
function records(table: Table): Row[] {
  return Array.from({ length: table.n }, (_, i) => {
    const r: Row = {};
    for (const c of table.columns) {
      if (c.kind === 'numeric') r[c.name] = Number.isNaN(c.values[i]!) ? null : c.values[i]!;
      else r[c.name] = c.codes[i]! < 0 ? null : c.levels[c.codes[i]!]!;
    }
    return r;
  });
}

/**
 * Rows with levels the model never saw: every third of the first 30 rows gets, in each categorical
 * column, the text "never-seen", and in each numeric column read by C(), the value 12345.5.
 */
function unseenRows(model: Classifier, rows: Row[]): Row[] {
  const design = model.toJSON().design!;
  const byLevel = new Set(design.factors.filter((f) => f.categorical).map((f) => f.column));
  return rows.slice(0, 30).map((r, i) => {
    if (i % 3 !== 0) return r;
    const out = { ...r };
    for (const s of design.sources) if (byLevel.has(s.name)) out[s.name] = s.kind === 'numeric' ? 12345.5 : 'never-seen';
    return out;
  });
}

async function checkModel(model: Classifier, table: Table | Row[], unseen: Row[]): Promise<{ f64: number; f32: number }> {
  const C = model.classes.length;
  // Training rows: predict and predictProba.
  const P = model.probabilities(table);
  const want = model.predict(table);
  const f64 = await runOnnx(toOnnx(model), tableFeeds(model, table));
  const e64 = maxAbsDiff(f64.probabilities, P);
  expect(e64).toBeLessThanOrEqual(1e-12);
  expect(f64.labels).toEqual(want);
  const f32 = await runOnnx(toOnnx(model, { float32: true }), tableFeeds(model, table, true));
  const e32 = maxAbsDiff(f32.probabilities, P);
  expect(e32).toBeLessThanOrEqual(1e-6);
  for (const i of clearRows(P, C, 1e-5)) expect(f32.labels[i]).toEqual(want[i]);

  // Unseen levels: predictTable with unknownLevel 'zero' (predict itself refuses them).
  expect(() => model.predict(unseen)).toThrow(/not seen in fitting/);
  const ref = model.predictTable(unseen, { unknownLevel: 'zero' });
  expect(ref.unknown).toBe(10);
  expect(ref.rows.length).toBe(unseen.length);
  const u64 = await runOnnx(toOnnx(model), tableFeeds(model, unseen));
  expect(maxAbsDiff(u64.probabilities, ref.probabilities)).toBeLessThanOrEqual(1e-12);
  expect(u64.labels).toEqual(argmaxLabels(ref.probabilities, model.classes));
  const u32 = await runOnnx(toOnnx(model, { float32: true }), tableFeeds(model, unseen, true));
  expect(maxAbsDiff(u32.probabilities, ref.probabilities)).toBeLessThanOrEqual(1e-6);
  return { f64: e64, f32: e32 };
}

const CASES: Array<{ name: string; file: string; options: FitFunctionOptions; names?: string[] }> = [
  { name: 'C() of numeric columns, a level with a space', file: 'infert.csv', options: { formula: 'case ~ education + age + parity + C(induced) + C(spontaneous)' } },
  { name: 'numeric × factor by *', file: 'birthwt.csv', options: { formula: 'low ~ age + race*smoke' }, names: ['age', 'race[T.other]', 'race[T.white]', 'smoke', 'race[T.other]:smoke', 'race[T.white]:smoke'] },
  { name: 'factor × factor with both main effects', file: 'birthwt.csv', options: { formula: 'low ~ age + lwt + smoke + race + C(ht) + race:C(ht)' } },
  { name: 'factor × factor, both of 3+ levels (column order: first factor fastest)', file: 'birthwt.csv', options: { formula: 'low ~ age + race*C(ptl)' }, names: [
    'age', 'race[T.other]', 'race[T.white]', 'C(ptl)[T.1]', 'C(ptl)[T.2]', 'C(ptl)[T.3]',
    'race[T.other]:C(ptl)[T.1]', 'race[T.white]:C(ptl)[T.1]', 'race[T.other]:C(ptl)[T.2]', 'race[T.white]:C(ptl)[T.2]', 'race[T.other]:C(ptl)[T.3]', 'race[T.white]:C(ptl)[T.3]',
  ] },
  { name: 'interaction without main effects (indicator coding in the term)', file: 'birthwt.csv', options: { formula: 'low ~ age + race:smoke' } },
  { name: 'no intercept (every level of the first factor)', file: 'birthwt.csv', options: { formula: 'low ~ 0 + race + age' }, names: ['race[black]', 'race[other]', 'race[white]', 'age'] },
  { name: 'numeric × numeric, standardized', file: 'birthwt.csv', options: { formula: 'low ~ age*lwt + race + ftv', standardize: true } },
  { name: 'three factors in one term (two categorical, one numeric)', file: 'birthwt.csv', options: { formula: 'low ~ smoke + race:C(ht):age' } },
  { name: 'missing mean: numeric means and a categorical "missing" level', file: 'birthwt_missing.csv', options: { formula: 'low ~ age + lwt + race + smoke + ftv', missing: 'mean' } },
  { name: 'mtcars raw units, standardized', file: 'mtcars.csv', options: { formula: 'am ~ hp + wt + C(cyl)', standardize: true } },
  { name: 'softmax with integer classes and C()', file: 'mtcars.csv', options: { formula: 'gear ~ mpg + C(cyl)' } },
  { name: 'titanic: factor × factor by *', file: 'titanic.csv', options: { formula: 'Survived ~ Class * Sex + Age' } },
];

describe('ONNX export of table models', () => {
  for (const c of CASES) {
    it(`${c.file} ${c.options.formula}${c.options.standardize ? ' (standardized)' : ''}${c.options.missing ? ` (missing ${c.options.missing})` : ''}: ${c.name}`, async () => {
      const table = read(c.file);
      const model = fit(table, c.options);
      if (c.names) expect(model.featureNames).toEqual(c.names);
      await checkModel(model, table, unseenRows(model, records(table)));
    });
  }

  it('titanic with blanked cells, missing mean: the "missing" level of two categorical columns and a model saved and loaded', async () => {
    // Age blank in every 37th row, Class blank in every 53rd: both get a "missing" level.
    const rows = records(read('titanic.csv')).map((r, i) => ({ ...r, Age: i % 37 === 5 ? null : r.Age!, Class: i % 53 === 7 ? null : r.Class! }));
    const model = fit(rows, { formula: 'Survived ~ Class * Sex + Age', missing: 'mean' });
    expect(model.featureNames).toContain('Age[T.missing]');
    expect(model.featureNames).toContain('Class[T.missing]');
    const json = model.toJSON();
    expect(json.design!.sources.filter((s) => s.missingLevel).map((s) => s.name).sort()).toEqual(['Age', 'Class']);
    // The exported graph maps "" to the missing level: the rows with blanks are predicted as predict does.
    await checkModel(model, rows, unseenRows(model, rows));
    // Exporting the saved JSON gives the same bytes as exporting the fitted model.
    expect(Buffer.from(toOnnx(JSON.parse(JSON.stringify(json)))).equals(Buffer.from(toOnnx(model)))).toBe(true);
  });

  it('a model fitted with missing "refuse": NaN in a numeric input gives NaN probabilities (predict refuses the row)', async () => {
    const table = read('birthwt.csv');
    const model = fit(table, { formula: 'low ~ age + race' });
    const rows = records(table).slice(0, 4).map((r, i) => (i === 1 ? { ...r, age: null } : r));
    expect(() => model.predict(rows)).toThrow(/missing value/);
    const out = await runOnnx(toOnnx(model), tableFeeds(model, rows));
    expect(Number.isNaN(out.probabilities[2]!) && Number.isNaN(out.probabilities[3]!)).toBe(true);
    const ok = model.predictProba(rows.filter((_, i) => i !== 1)).flat();
    expect(maxAbsDiff([...out.probabilities.subarray(0, 2), ...out.probabilities.subarray(4)], ok)).toBeLessThanOrEqual(1e-12);
  });

  it('label types: int64 for integer classes, double for other numbers, string for text', async () => {
    const X = [[0, 1], [1, 0], [2, 2], [3, 1], [1, 3], [0, 0], [2, 1], [3, 3]];
    for (const [y, type] of [[[0.5, 2.5, 0.5, 2.5, 2.5, 0.5, 0.5, 2.5], 'float64'], [[-3, 7, -3, 7, 7, -3, -3, 7], 'int64'], [['a', 'b', 'a', 'b', 'b', 'a', 'a', 'b'], 'string']] as const) {
      const model = fit(X, [...y]);
      for (const float32 of [false, true]) {
        const out = await runOnnx(toOnnx(model, { float32 }), matrixFeed(X, float32));
        expect(out.labelType).toBe(type);
        expect(out.labels).toEqual(model.predict(X));
        expect(maxAbsDiff(out.probabilities, flat(model.predictProba(X)))).toBeLessThanOrEqual(float32 ? 1e-6 : 1e-12);
      }
    }
  });

  it('a softmax model of two classes (K = 2 rows of coefficients) and a binary one agree with predictProba', async () => {
    const table = read('birthwt.csv');
    const soft = fit(table, { formula: 'low ~ age + race + smoke', model: 'softmax' });
    expect(soft.toJSON().coef.length).toBe(2);
    await checkModel(soft, table, unseenRows(soft, records(table)));
  });
});
