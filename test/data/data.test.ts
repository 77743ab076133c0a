import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCsv } from '../../src/data/csv.js';
import { detectDelimiter } from '../../src/data/csvReader.js';
import { DataError } from '../../src/data/errors.js';
import { bundledDatasets, datasetsDir, findBundled, resolveDataArg } from '../../src/data/registry.js';
import { stratifiedSplit } from '../../src/data/split.js';

const dir = mkdtempSync(join(tmpdir(), 'logreg-data-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('bundled data sets', () => {
  // Shapes from the sources named in datasets/README.md (R's infert: 248 women; MASS's birthwt: 189 births).
  const shapes: Record<string, [number, number, number]> = {
    iris: [150, 4, 3], wine: [178, 13, 3], 'breast-cancer': [569, 30, 2], digits: [1797, 64, 10], spector: [32, 3, 2],
    infert: [248, 5, 2], birthwt: [189, 8, 2],
  };
  // The text columns of the sets that have them.
  const categorical: Record<string, string[]> = { infert: ['education'], birthwt: ['race'] };
  it.each(bundledDatasets().map((b) => [b.name, b] as const))('%s loads with its shape and target', (name, b) => {
    const t = readCsv(join(datasetsDir(), b.file));
    const [n, d, K] = shapes[name]!;
    const target = t.columns.find((c) => c.name === b.target)!;
    const classes = target.kind === 'categorical' ? target.levels.length : new Set(target.values).size;
    expect([t.n, t.columns.length - 1, classes]).toEqual([n, d, K]);
    const features = t.columns.filter((c) => c.name !== b.target);
    expect(features.filter((c) => c.kind === 'categorical').map((c) => c.name)).toEqual(categorical[name] ?? []);
    expect(features.every((c) => c.missing === 0)).toBe(true);
  });
  it('names resolve from any folder, with aliases', () => {
    expect(findBundled('breast_cancer')?.name).toBe('breast-cancer');
    expect(resolveDataArg('iris')).toMatchObject({ target: 'species', bundled: 'iris' });
    expect(resolveDataArg('/no/such.csv')).toEqual({ path: '/no/such.csv' });
  });
});

describe('CSV dialects', () => {
  it('detects the delimiter from the header, ignoring quoted ones', () => {
    expect(detectDelimiter('a;b;c')).toBe(';');
    expect(detectDelimiter('a\tb\tc')).toBe('\t');
    expect(detectDelimiter('"a;x",b,c')).toBe(',');
  });
  it('BOM, CRLF, quoted fields, no final newline, tab delimiter', () => {
    const t = readCsv(file('tab.csv', '\ufeffa\t"b"\tlabel\r\n1\t2.5\t"x y"\r\n3\t-4e2\tz'));
    expect(t.names).toEqual(['a', 'b', 'label']);
    const [a, b, label] = t.columns;
    expect(a!.kind === 'numeric' && Array.from(a.values)).toEqual([1, 3]);
    expect(b!.kind === 'numeric' && Array.from(b.values)).toEqual([2.5, -400]);
    expect(label!.kind === 'categorical' && label.levels).toEqual(['x y', 'z']);
  });
  it('--delimiter as typed: \\t (backslash t) and tab both mean tab', () => {
    expect(readCsv(file('tab2.csv', 'a\tb\n1\t2\n'), { delimiter: '\\t' }).columns).toHaveLength(2);
    expect(readCsv(file('tab3.csv', 'a\tb\n1\t2\n'), { delimiter: 'tab' }).columns).toHaveLength(2);
  });
});

describe('DataError messages name the file, line and column', () => {
  const cases: Array<[string, () => unknown, string]> = [
    ['bad delimiter option', () => readCsv(file('d.csv', 'a,l\n1,x\n'), { delimiter: '|' }), 'the delimiter "|" is not one of ",", ";", tab'],
    ['empty header name', () => readCsv(file('eh.csv', 'a,,l\n1,2,x\n')), 'line 1: column 2 of the header has no name'],
    ['a long cell is cut in the message', () => readCsv(file('long.csv', `${'x'.repeat(500)},${'x'.repeat(500)}\n1,2\n`)), `the header names column "${'x'.repeat(80)}…" twice (columns 1 and 2)`],
    ['unknown column asked for', () => readCsv(file('c.csv', 'a,l\n1,x\n'), { columns: ['b'] }), 'has no column "b" (columns: a, l)'],
  ];
  it.each(cases)('%s', (_name, run, tail) => {
    let err: unknown;
    try {
      run();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DataError);
    expect((err as Error).message.endsWith(tail)).toBe(true);
    expect((err as Error).message).not.toContain('\n');
  });
});

describe('stratified split', () => {
  const labels = [...new Array(60).fill('a'), ...new Array(30).fill('b'), ...new Array(10).fill('c')];
  it('keeps class proportions and sizes', () => {
    const { train, test } = stratifiedSplit(labels, 0.2, 1);
    expect(test.length).toBe(20);
    expect(train.length).toBe(80);
    const count = (idx: Uint32Array, c: string) => Array.from(idx).filter((i) => labels[i] === c).length;
    expect([count(test, 'a'), count(test, 'b'), count(test, 'c')]).toEqual([12, 6, 2]);
    expect(new Set([...train, ...test]).size).toBe(100);
  });
  it('is reproducible for a seed and differs across seeds', () => {
    expect(stratifiedSplit(labels, 0.3, 5)).toEqual(stratifiedSplit(labels, 0.3, 5));
    expect(Array.from(stratifiedSplit(labels, 0.3, 5).test)).not.toEqual(Array.from(stratifiedSplit(labels, 0.3, 6).test));
  });
  it('refuses a test size outside (0, 1)', () => {
    expect(() => stratifiedSplit(labels, 1, 0)).toThrow('testSize must be between 0 and 1 (exclusive), got 1');
  });
});
