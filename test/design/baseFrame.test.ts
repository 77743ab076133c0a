import { describe, expect, it } from 'vitest';
import { Arena, arenaOf } from '../../src/backend/arena.js';
import type { ModelMatrix } from '../../src/backend/modelMatrix.js';
import { type BaseFrame, type DesignSpec, applyDesign, buildDesign } from '../../src/design/modelFrame.js';
import { loadBundled } from '../../src/index.js';

// crossValidate builds the frame of every row once and gives it to each fold's buildDesign and
// applyDesign (BaseFrame): rows whose design is the base's are copied from it, others built.

function content(M: ModelMatrix): unknown {
  return { rows: M.rows, cols: M.cols, dense: Array.from(M.dense), blocks: M.blocks.map((b) => ({ codes: Array.from(b.codes), values: b.values === null ? null : Array.from(b.values) })) };
}

function rowsWhere(n: number, keep: (i: number) => boolean): Uint32Array {
  return Uint32Array.from({ length: n }, (_, i) => i).filter(keep);
}

describe('a base frame (the frame of every row, for the folds of a cross-validation)', () => {
  const { table } = loadBundled('birthwt');
  const spec: DesignSpec = { formula: 'low ~ age + lwt + race + smoke + age:race', intercept: true };
  const all = buildDesign(table, spec);
  const base: BaseFrame = { table, ...all };
  const race = table.columns.find((c) => c.name === 'race')!;
  if (race.kind !== 'categorical') throw new Error('race is categorical');
  const other = race.levels.indexOf('other');

  it('rows under the same design: the same frame as built without it, value for value', () => {
    const fold = rowsWhere(table.n, (i) => i % 4 !== 1);
    const plain = buildDesign(table, spec, fold);
    const copied = buildDesign(table, spec, fold, 0, base);
    expect(copied.design).toEqual(plain.design);
    expect(content(copied.frame.matrix)).toEqual(content(plain.frame.matrix));
    expect(Array.from(copied.frame.order)).toEqual(Array.from(plain.frame.order));
    expect(Array.from(copied.frame.rows)).toEqual(Array.from(plain.frame.rows));
    expect(copied.frame.response).toEqual(plain.frame.response);
    const held = rowsWhere(table.n, (i) => i % 4 === 1);
    const applied = applyDesign(plain.design, table, { rows: held, labels: true, unknownLevel: 'zero' });
    const appliedFromBase = applyDesign(plain.design, table, { rows: held, labels: true, unknownLevel: 'zero', base });
    expect(content(appliedFromBase.matrix)).toEqual(content(applied.matrix));
    expect(appliedFromBase.labels).toEqual(applied.labels);
  });

  it('copies from the base only then: a mark put in the base shows in a fold with its design, not in one without', () => {
    const saved = all.frame.matrix.dense[0]!;
    all.frame.matrix.dense[0] = 12345;
    try {
      const same = buildDesign(table, spec, rowsWhere(table.n, (i) => i !== 5), 0, base);
      expect(same.frame.matrix.dense[0]).toBe(12345);
      // Without the rows of level "other", race has two levels: another design, built anew.
      const without = rowsWhere(table.n, (i) => race.codes[i] !== other);
      const built = buildDesign(table, spec, without, 0, base);
      expect(built.design.factors.find((f) => f.column === 'race')!.levels).toEqual(['black', 'white']);
      expect(content(built.frame.matrix)).toEqual(content(buildDesign(table, spec, without).frame.matrix));
      expect(built.frame.matrix.dense[0]).not.toBe(12345);
    } finally {
      all.frame.matrix.dense[0] = saved;
    }
  });

  it('imputed means learnt on the fold (missing: mean) make another design: built anew, with the fold\'s mean', () => {
    const lwt = table.columns.find((c) => c.name === 'lwt')!;
    if (lwt.kind !== 'numeric') throw new Error('lwt is numeric');
    const values = Float64Array.from(lwt.values);
    values[3] = NaN;
    const gappy = { ...table, columns: table.columns.map((c) => (c.name === 'lwt' ? { ...lwt, values, missing: 1 } : c)) };
    const meanSpec: DesignSpec = { ...spec, missing: 'mean' };
    const whole: BaseFrame = { table: gappy, ...buildDesign(gappy, meanSpec) };
    const fold = rowsWhere(table.n, (i) => i % 3 !== 0);
    const built = buildDesign(gappy, meanSpec, fold, 0, whole);
    expect(built.design.sources.find((s) => s.name === 'lwt')!.impute).not.toBe(whole.design.sources.find((s) => s.name === 'lwt')!.impute);
    expect(content(built.frame.matrix)).toEqual(content(buildDesign(gappy, meanSpec, fold).frame.matrix));
  });
});

describe('where a base frame\'s rows go', () => {
  const { table, target } = loadBundled('breast_cancer');
  const spec: DesignSpec = { target, intercept: true };
  const base: BaseFrame = { table, ...buildDesign(table, spec) };
  const fold = rowsWhere(table.n, (i) => i % 5 !== 0);

  it('share: a fit of every row gets the base\'s matrix itself; of some rows, or without share, a copy', () => {
    expect(buildDesign(table, spec, null, 0, { ...base, share: true }).frame.matrix).toBe(base.frame.matrix);
    const copy = buildDesign(table, spec, null, 0, base).frame.matrix;
    expect(copy).not.toBe(base.frame.matrix);
    expect(content(copy)).toEqual(content(base.frame.matrix));
    expect(buildDesign(table, spec, fold, 0, { ...base, share: true }).frame.matrix.rows).toBe(fold.length);
    // Applying a design (predictions, held-out rows) is never given the base's own matrix.
    expect(applyDesign(base.design, table, { base: { ...base, share: true } }).matrix).not.toBe(base.frame.matrix);
  });

  it('scratch: each copy takes the place of the one before in the same arena, with the values built without it', () => {
    const arena = new Arena();
    const scratch = { arena, start: arena.mark() };
    const first = buildDesign(table, spec, fold, 0, { ...base, scratch }).frame.matrix;
    const other = rowsWhere(table.n, (i) => i % 5 !== 1);
    const second = buildDesign(table, spec, other, 0, { ...base, scratch }).frame.matrix;
    expect(arenaOf(second.dense)).toBe(arena);
    expect(second.dense.byteOffset).toBe(first.dense.byteOffset);
    expect(content(second)).toEqual(content(buildDesign(table, spec, other).frame.matrix));
  });
});
