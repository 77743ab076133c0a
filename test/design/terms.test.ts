import { describe, expect, it } from 'vitest';
import { FormulaError, parseFormula } from '../../src/design/formula.js';
import {
  codeTerms, defaultTerms, designColumns, expandFormula, levelLabel, numericLevels, termLabel,
  type ColumnSchema, type Factor, type ModelTerms,
} from '../../src/design/terms.js';

// Columns shaped like MASS::birthwt (the example of the brief).
const columns: ColumnSchema[] = [
  { name: 'low', kind: 'numeric' },
  { name: 'age', kind: 'numeric' },
  { name: 'lwt', kind: 'numeric' },
  { name: 'race', kind: 'categorical' },
  { name: 'smoke', kind: 'numeric' },
  { name: 'ftv', kind: 'numeric' },
  { name: 'grp', kind: 'categorical' },
  { name: 'birth weight', kind: 'numeric' },
];
const levels: Record<string, string[]> = {
  race: ['black', 'other', 'white'], grp: ['g1', 'g2'], 'C(ftv)': ['0', '1', '2'], 'C(smoke)': ['0', '1'],
};
const levelsOf = (f: Factor): string[] => levels[f.label]!;

const expand = (text: string, exclude?: string[]): ModelTerms =>
  expandFormula(parseFormula(text), columns, exclude === undefined ? {} : { exclude });
const labels = (m: ModelTerms): string[] => m.terms.map(termLabel);
const names = (text: string): string[] => designColumns(codeTerms(expand(text)), levelsOf).map((c) => c.name);

function errorOf(run: () => unknown): FormulaError {
  try {
    run();
  } catch (e) {
    if (e instanceof FormulaError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('expandFormula: the term algebra', () => {
  it('a*b = a + b + a:b, (a + b):c = a:c + b:c, terms sorted by degree then appearance', () => {
    expect(labels(expand('low ~ age + race * smoke + C(ftv)'))).toEqual(['age', 'race', 'smoke', 'C(ftv)', 'race:smoke']);
    expect(labels(expand('low ~ (age + lwt):race'))).toEqual(['age:race', 'lwt:race']);
    expect(labels(expand('low ~ (age + lwt)*race'))).toEqual(['age', 'lwt', 'race', 'age:race', 'lwt:race']);
    expect(labels(expand('low ~ (age + lwt):(race + smoke)'))).toEqual(['age:race', 'age:smoke', 'lwt:race', 'lwt:smoke']);
    expect(labels(expand('low ~ age:lwt:race + race + age:lwt'))).toEqual(['race', 'age:lwt', 'age:lwt:race']);
  });

  it('collapses repeated factors and repeated terms, the first appearance keeping its order', () => {
    expect(labels(expand('low ~ race:race'))).toEqual(['race']);
    expect(labels(expand('low ~ smoke:race:smoke + race:smoke + age'))).toEqual(['age', 'smoke:race']);
  });

  it('"-" removes terms from what is on its left, left to right', () => {
    expect(labels(expand('low ~ race * smoke - race:smoke'))).toEqual(['race', 'smoke']);
    expect(labels(expand('low ~ age + race - age + age'))).toEqual(['race', 'age']);
    expect(labels(expand('low ~ age - (age - race)'))).toEqual([]);
    expect(labels(expand('low ~ -age + race'))).toEqual(['race']);
    expect(labels(expand('low ~ age - ftv'))).toEqual(['age']);
  });

  it('the intercept: default on, 0 / -1 remove it, 1 / -0 keep it, the last one wins', () => {
    const icpt = (text: string): boolean => expand(text).intercept;
    expect(['low ~ age', 'low ~ age + 1', 'low ~ 1 + age', 'low ~ age - 0', 'low ~ 0 + 1 + age', 'low ~ age - (0 + -1)', 'low ~ age - -1']
      .map(icpt)).toEqual([true, true, true, true, true, true, true]);
    expect(['low ~ 0 + age', 'low ~ age + 0', 'low ~ -1 + age', 'low ~ age - 1', 'low ~ 1 + 0 + age', 'low ~ age - (1)', 'low ~ age + (0)', 'low ~ 0']
      .map(icpt)).toEqual([false, false, false, false, false, false, false, false]);
  });

  it('"." is every column but the response and the excluded ones, in table order, where it stands', () => {
    expect(labels(expand('low ~ .'))).toEqual(['age', 'lwt', 'race', 'smoke', 'ftv', 'grp', 'birth weight']);
    expect(labels(expand('low ~ .', ['lwt', 'grp']))).toEqual(['age', 'race', 'smoke', 'ftv', 'birth weight']);
    expect(labels(expand('~ . - lwt', ['grp', 'birth weight', 'ftv']))).toEqual(['low', 'age', 'race', 'smoke']);
    expect(labels(expand('low ~ lwt + .:smoke', ['race', 'grp', 'birth weight', 'ftv']))).toEqual(['lwt', 'smoke', 'age:smoke', 'lwt:smoke']);
    // An excluded column named explicitly is used.
    expect(labels(expand('low ~ age + grp', ['grp']))).toEqual(['age', 'grp']);
  });

  it('factors: categorical columns and C() are categorical, labelled x or C(x) with the raw name', () => {
    const m = expand('low ~ race + C(ftv) + C(race) + `birth weight` + C(`birth weight`)');
    expect(m.terms.map((t) => t.factors[0])).toEqual([
      { column: 'race', categorical: true, label: 'race' },
      { column: 'ftv', categorical: true, label: 'C(ftv)' },
      { column: 'race', categorical: true, label: 'C(race)' },
      { column: 'birth weight', categorical: false, label: 'birth weight' },
      { column: 'birth weight', categorical: true, label: 'C(birth weight)' },
    ]);
  });

  it('columnOrder lists the factors by first appearance in the whole formula (R\'s variable order)', () => {
    const m = expand('low ~ race + smoke + grp:smoke:race');
    expect(termLabel(m.terms[2]!)).toBe('grp:smoke:race');
    expect(m.terms[2]!.columnOrder).toEqual([2, 1, 0]);
    // A removed term still fixes the order, as in R.
    expect(expand('low ~ age - race + grp:race').terms[1]!.columnOrder).toEqual([1, 0]);
  });
});

describe('expandFormula: errors point at the name', () => {
  it('an unknown column, listing the columns', () => {
    const e = errorOf(() => expand('low ~ age + rcae'));
    expect(e.message).toBe('unknown column "rcae" at character 13 (columns: low, age, lwt, race, smoke, ftv, grp, birth weight)');
    expect(e.position).toBe(12);
    expect(errorOf(() => expand('low ~ C(agee)')).position).toBe(8);
    expect(errorOf(() => expand('low ~ age - `lwt `')).message).toMatch(/^unknown column "lwt " at character 13 /);
  });

  it('lists at most 10 columns', () => {
    const many = Array.from({ length: 12 }, (_, i): ColumnSchema => ({ name: `c${i}`, kind: 'numeric' }));
    expect(() => expandFormula(parseFormula('~ d'), many)).toThrow('unknown column "d" at character 3 (columns: c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, …)');
  });

  it('an unknown response', () => {
    const e = errorOf(() => expand('lw ~ age'));
    expect([e.position, e.message]).toEqual([0, 'unknown column "lw" for the response at character 1 (columns: low, age, lwt, race, smoke, ftv, grp, birth weight)']);
  });

  it('the response on the right-hand side, also inside C() or in a removed term', () => {
    expect(() => expand('low ~ age + low')).toThrow('the response "low" cannot also be a term, at character 13');
    expect(errorOf(() => expand('low ~ age + C(low)')).position).toBe(14);
    expect(errorOf(() => expand('low ~ . - low')).position).toBe(10);
  });

  it('"*" with nothing on its left (R would silently drop the product)', () => {
    const e = errorOf(() => expand('low ~ (age - age) * race'));
    expect([e.position, e.message]).toEqual([18, 'the left side of "*" has no terms at character 19 (R would drop the whole product)']);
    expect(errorOf(() => expand('low ~ -age*race')).position).toBe(10);
    // An empty right side is harmless: a * ∅ = a.
    expect(labels(expand('low ~ race*-age'))).toEqual(['race']);
  });

  it('bad columns or exclude are RangeErrors / TypeErrors naming them', () => {
    const f = parseFormula('low ~ age');
    expect(() => expandFormula(f, [...columns, { name: 'age', kind: 'numeric' }])).toThrow(new RangeError('columns has "age" twice (at 1 and 8)'));
    expect(() => expandFormula(f, [{ name: 'age', kind: 'text' as 'numeric' }])).toThrow(TypeError);
    expect(() => expandFormula(f, columns, { exclude: ['nope'] })).toThrow(new RangeError('exclude names "nope", which is not a column (columns: low, age, lwt, race, smoke, ftv, grp, birth weight)'));
  });
});

describe('codeTerms: R\'s rule', () => {
  const codings = (text: string): string[] => codeTerms(expand(text)).map((c) => `${termLabel(c.term)}=${c.codings.join(',')}`);

  it('main effects with an intercept: contrasts; numeric factors: values', () => {
    expect(codings('low ~ age + race')).toEqual(['age=numeric', 'race=treatment']);
  });

  it('no intercept: the first categorical factor of the first term that has one gets indicators', () => {
    expect(codings('low ~ 0 + race + grp')).toEqual(['race=indicator', 'grp=treatment']);
    expect(codings('low ~ 0 + age + grp + race')).toEqual(['age=numeric', 'grp=indicator', 'race=treatment']);
    expect(codings('low ~ 0 + age')).toEqual(['age=numeric']);
  });

  it('interactions: contrasts for F when T \\ {F} is inside an earlier term, else indicators', () => {
    expect(codings('low ~ race * grp')).toEqual(['race=treatment', 'grp=treatment', 'race:grp=treatment,treatment']);
    expect(codings('low ~ race:grp')).toEqual(['race:grp=indicator,indicator']);
    expect(codings('low ~ race + race:grp')).toEqual(['race=treatment', 'race:grp=indicator,treatment']);
    expect(codings('low ~ age:race')).toEqual(['age:race=numeric,indicator']);
    expect(codings('low ~ age + age:race')).toEqual(['age=numeric', 'age:race=numeric,treatment']);
    // {grp} is not a term, but it is inside the earlier grp:smoke.
    expect(codings('low ~ grp:smoke + race:grp')).toEqual(['grp:smoke=indicator,numeric', 'race:grp=treatment,indicator']);
    expect(codings('low ~ race:grp + grp:smoke')).toEqual(['race:grp=indicator,indicator', 'grp:smoke=indicator,numeric']);
  });

  it('checks hand-made terms', () => {
    const bad: ModelTerms = { response: null, intercept: true, terms: [{ factors: [{ column: 'age', categorical: false, label: 'age' }], columnOrder: [1] }] };
    expect(() => codeTerms(bad)).toThrow(RangeError);
  });
});

describe('designColumns', () => {
  it('names in patsy style, the first factor in R\'s order varying fastest', () => {
    expect(names('low ~ age + race * smoke + C(ftv)')).toEqual([
      'age', 'race[T.other]', 'race[T.white]', 'smoke', 'C(ftv)[T.1]', 'C(ftv)[T.2]', 'race[T.other]:smoke', 'race[T.white]:smoke',
    ]);
    expect(names('low ~ 0 + race:grp')).toEqual([
      'race[black]:grp[g1]', 'race[other]:grp[g1]', 'race[white]:grp[g1]', 'race[black]:grp[g2]', 'race[other]:grp[g2]', 'race[white]:grp[g2]',
    ]);
    expect(names('low ~ race * C(smoke)')).toEqual(['race[T.other]', 'race[T.white]', 'C(smoke)[T.1]', 'race[T.other]:C(smoke)[T.1]', 'race[T.white]:C(smoke)[T.1]']);
    expect(names('low ~ age:lwt + `birth weight`')).toEqual(['birth weight', 'age:lwt']);
  });

  it('names keep the written order when R\'s order differs; the columns still run in R\'s order', () => {
    // grp appears first in the formula, so grp varies fastest; the names say race first as written.
    expect(names('low ~ grp + race:grp')).toEqual([
      'grp[T.g2]', 'race[T.other]:grp[g1]', 'race[T.other]:grp[g2]', 'race[T.white]:grp[g1]', 'race[T.white]:grp[g2]',
    ]);
  });

  it('level picks index the levels; term indexes the coded terms', () => {
    const cols = designColumns(codeTerms(expand('low ~ age + race:smoke')), levelsOf);
    expect(cols).toEqual([
      { name: 'age', term: 0, levels: [null] },
      { name: 'race[black]:smoke', term: 1, levels: [0, null] },
      { name: 'race[other]:smoke', term: 1, levels: [1, null] },
      { name: 'race[white]:smoke', term: 1, levels: [2, null] },
    ]);
  });

  it('a categorical factor needs 2 or more distinct levels; codings must fit the factors', () => {
    const coded = codeTerms(expand('low ~ race'));
    expect(() => designColumns(coded, () => ['black'])).toThrow(new RangeError('the categorical factor "race" has 1 level ("black"); it needs at least 2'));
    expect(() => designColumns(coded, () => [])).toThrow('has 0 levels');
    expect(() => designColumns(coded, () => ['a', 'a'])).toThrow(RangeError);
    expect(() => designColumns([{ term: coded[0]!.term, codings: ['numeric'] }], levelsOf)).toThrow(RangeError);
    expect(() => designColumns([{ term: coded[0]!.term, codings: [] }], levelsOf)).toThrow(RangeError);
  });
});

describe('defaultTerms', () => {
  it('is low ~ . with the features, exclusions and intercept asked for', () => {
    const all = defaultTerms('low', columns);
    expect(all).toEqual(expand('low ~ .'));
    expect(labels(defaultTerms('low', columns, { exclude: ['grp', 'birth weight'] }))).toEqual(['age', 'lwt', 'race', 'smoke', 'ftv']);
    const some = defaultTerms('low', columns, { features: ['race', 'age'], intercept: false });
    expect([labels(some), some.intercept, some.response]).toEqual([['race', 'age'], false, 'low']);
    expect(codeTerms(some).map((c) => c.codings[0])).toEqual(['indicator', 'numeric']);
    expect(labels(defaultTerms('low', columns, { features: ['race', 'age'], exclude: ['race'] }))).toEqual(['age']);
  });

  it('unknown names are RangeErrors naming them', () => {
    expect(() => defaultTerms('lowe', columns)).toThrow(new RangeError('response "lowe" is not a column (columns: low, age, lwt, race, smoke, ftv, grp, birth weight)'));
    expect(() => defaultTerms('low', columns, { features: ['age', 'rcae'] })).toThrow(new RangeError('features names "rcae", which is not a column (columns: low, age, lwt, race, smoke, ftv, grp, birth weight)'));
    expect(() => defaultTerms('low', columns, { features: ['age', 'age'] })).toThrow(new RangeError('features names "age" twice'));
    expect(() => defaultTerms('low', columns, { features: ['age', 'low'] })).toThrow(new RangeError('features names the response "low"'));
    expect(() => defaultTerms('low', columns, { exclude: ['x'] })).toThrow(RangeError);
  });
});

describe('levels of numbers', () => {
  it('levelLabel prints as JavaScript does, integers without ".0"', () => {
    expect([2, 2.5, -1, 1e-7, -0, 10, 1e21, 0.1].map(levelLabel)).toEqual(['2', '2.5', '-1', '1e-7', '0', '10', '1e+21', '0.1']);
    expect(() => levelLabel(Number.NaN)).toThrow(RangeError);
  });

  it('numericLevels sorts distinct values numerically, 0 and -0 as one, missing (NaN) left out', () => {
    expect(numericLevels([2, 10, -1, 2, -0, 0, 2.5])).toEqual([-1, 0, 2, 2.5, 10]);
    expect(Object.is(numericLevels([-0])[0], 0)).toBe(true);
    expect(numericLevels(new Float64Array([3, Number.NaN, 1, Number.NaN]))).toEqual([1, 3]);
  });
});
