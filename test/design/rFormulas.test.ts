import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseFormula } from '../../src/design/formula.js';
import {
  codeTerms, designColumns, expandFormula, levelLabel, numericLevels, type ColumnSchema, type Factor,
} from '../../src/design/terms.js';

/**
 * test/fixtures/formulas/formulas.json: R 4.2.2's terms() and model.matrix() for 60 formulas on a
 * 16-row table, written by test/fixtures/formulas/make_formulas.R (see the README there). Each column
 * lists, in R's variable order, its factors with the level R's column uses and the coding R chose
 * (read off R's own columns), its name converted to patsy style, and the matrix values on every row.
 */
interface RFactor { label: string; level: string | null; coding: 'numeric' | 'treatment' | 'indicator' }
interface RCase {
  formula: string;
  intercept: boolean;
  response: string | null;
  variables: string[];
  term_labels: string[];
  levels: Record<string, string[]>;
  columns: { r: string; name: string; term: string; factors: RFactor[] }[];
  values: number[][];
}
type RData = { name: string; kind: 'numeric'; values: number[] } | { name: string; kind: 'categorical'; levels: string[]; values: string[] };
const fixture = JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/formulas/formulas.json', import.meta.url)), 'utf8')) as {
  r_version: string; collate: string; data: RData[]; cases: RCase[];
};

const schema: ColumnSchema[] = fixture.data.map((d) => ({ name: d.name, kind: d.kind }));
const column = new Map(fixture.data.map((d) => [d.name, d]));
const nRows = fixture.data[0]!.values.length;

/** Levels as the model-matrix builder will make them: the table's levels, or for C() of a numeric column its sorted distinct values. */
function levelsOf(f: Factor): string[] {
  const d = column.get(f.column)!;
  return d.kind === 'categorical' ? d.levels : numericLevels(d.values).map(levelLabel);
}

/** The level index of row r for a categorical factor. */
function rowLevel(f: Factor, r: number): number {
  const d = column.get(f.column)!;
  const v = d.kind === 'categorical' ? d.values[r]! : levelLabel(d.values[r]!);
  return levelsOf(f).indexOf(v);
}

/** Patsy style, as make_formulas.R writes it. */
function patsyPart(p: RFactor): string {
  if (p.coding === 'numeric') return p.label;
  return p.coding === 'treatment' ? `${p.label}[T.${p.level}]` : `${p.label}[${p.level}]`;
}

describe(`model matrices of ${fixture.cases.length} formulas against ${fixture.r_version}`, () => {
  it('the fixture is what the tests expect (C collation, 16 rows)', () => {
    expect(fixture.collate).toBe('C');
    expect(nRows).toBe(16);
    expect(fixture.cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(fixture.cases.map((c) => [c.formula, c] as const))('%s', (_, c) => {
    const model = expandFormula(parseFormula(c.formula), schema);
    expect(model.response).toBe(c.response);
    expect(model.intercept).toBe(c.intercept);
    // R's term labels name the factors in R's variable order.
    expect(model.terms.map((t) => t.columnOrder.map((i) => t.factors[i]!.label).join(':'))).toEqual(c.term_labels);

    const factors = new Map(model.terms.flatMap((t) => t.factors).map((f) => [f.label, f]));
    // R lists the levels of every variable in the formula, also of those whose terms were removed.
    for (const [label, levels] of Object.entries(c.levels)) {
      const f = factors.get(label);
      if (f !== undefined) expect(levelsOf(f), label).toEqual(levels);
    }

    const coded = codeTerms(model);
    const columns = designColumns(coded, levelsOf);
    expect(columns.map((col) => col.name).length).toBe(c.columns.length);
    columns.forEach((col, k) => {
      const want = c.columns[k]!;
      const { term, codings } = coded[col.term]!;
      expect(term.columnOrder.map((i) => term.factors[i]!.label).join(':'), want.r).toBe(want.term);
      // Factor by factor, in R's order: the same factor, coding and level.
      const got = term.columnOrder.map((i): RFactor => {
        const pick = col.levels[i]!;
        return { label: term.factors[i]!.label, level: pick === null ? null : levelsOf(term.factors[i]!)[pick]!, coding: codings[i]! };
      });
      expect(got, want.r).toEqual(want.factors);
      expect(want.factors.map(patsyPart).join(':')).toBe(want.name);
      // Our name: the same parts in the order the factors are written.
      const written = term.factors.map((_, i) => patsyPart(want.factors[term.columnOrder.indexOf(i)]!));
      expect(col.name, want.r).toBe(written.join(':'));
    });

    const values = Array.from({ length: nRows }, (_, r) => columns.map((col) => {
      const term = coded[col.term]!.term;
      return term.factors.reduce((p, f, i) => {
        const pick = col.levels[i]!;
        if (pick === null) return p * (column.get(f.column)!.values[r] as number);
        return p * (rowLevel(f, r) === pick ? 1 : 0);
      }, 1);
    }));
    expect(values).toEqual(c.values);
  });

  it('names follow the written order where R reorders the factors', () => {
    // R labels the term "race:grp" (race appears first in the formula); we keep "grp:race".
    const c = fixture.cases.find((x) => x.formula === 'low ~ race + grp:race')!;
    const columns = designColumns(codeTerms(expandFormula(parseFormula(c.formula), schema)), levelsOf);
    expect(c.columns[2]!.name).toBe('race[black]:grp[T.C]');
    expect(columns[2]!.name).toBe('grp[T.C]:race[black]');
    expect(columns[3]!.name).toBe('grp[T.C]:race[other]');
  });
});
