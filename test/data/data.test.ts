import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCsv, detectDelimiter } from '../../src/data/csv.js';
import { DataError } from '../../src/data/errors.js';
import { fastNumericBody } from '../../src/data/fastpath.js';
import { createRng } from '../../src/util/random.js';
import { bundledDatasets, datasetsDir, findBundled, resolveDataArg } from '../../src/data/registry.js';
import { stratifiedSplit } from '../../src/data/split.js';

const dir = mkdtempSync(join(tmpdir(), 'logreg-data-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('bundled data sets', () => {
  // Shapes from shared/data/PROVENANCE.md.
  const shapes: Record<string, [number, number, number]> = {
    iris: [150, 4, 3], wine: [178, 13, 3], 'breast-cancer': [569, 30, 2], digits: [1797, 64, 10], spector: [32, 3, 2],
  };
  it.each(bundledDatasets().map((b) => [b.name, b] as const))('%s loads with its shape and target', (name, b) => {
    const ds = readCsv(join(datasetsDir(), b.file), { target: b.target });
    const [n, d, K] = shapes[name]!;
    expect([ds.n, ds.d, new Set(ds.y).size]).toEqual([n, d, K]);
    expect(ds.target).toBe(b.target);
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
    const ds = readCsv(file('tab.csv', '\ufeffa\t"b"\tlabel\r\n1\t2.5\t"x y"\r\n3\t-4e2\tz'));
    expect(ds.featureNames).toEqual(['a', 'b']);
    expect(Array.from(ds.X)).toEqual([1, 2.5, 3, -400]);
    expect(ds.y).toEqual(['x y', 'z']);
    expect(ds.targetDefaulted).toBe(true);
  });
  it('numeric labels become numbers; mixed stay strings', () => {
    expect(readCsv(file('num.csv', 'a,l\n1,2\n2,10\n')).y).toEqual([2, 10]);
    expect(readCsv(file('mix.csv', 'a,l\n1,2\n2,x\n')).y).toEqual(['2', 'x']);
  });
  it('features selected by name, in the given order; weight column', () => {
    const ds = readCsv(file('sel.csv', 'c,a,w,b,l\n9,1,2,3,x\n9,4,0.5,6,y\n'), { target: 'l', features: ['b', 'a'], weightColumn: 'w' });
    expect(Array.from(ds.X)).toEqual([3, 1, 6, 4]);
    expect(Array.from(ds.weights!)).toEqual([2, 0.5]);
  });
  it('unlabelled data with target null', () => {
    const ds = readCsv(file('nolab.csv', 'a,b\n1,2\n'), { target: null });
    expect(ds.y).toBeNull();
    expect(ds.d).toBe(2);
  });
});

// The fast path (WebAssembly rows, undecided numbers finished by parseNumber) against the plain
// reading of the same text: split on commas and line breaks, Number() on every field.
describe('the fast path reads what Number() reads', () => {
  const rng = createRng(31);
  const forms = [
    () => ((rng.next() - 0.5) * 10 ** (rng.int(8) - 3)).toPrecision(1 + rng.int(9)), // up to 9 digits: decided in the kernel
    () => String((rng.next() - 0.5) * 10 ** (rng.int(40) - 20)), // 17-digit and exponent forms: some finished in JavaScript
    () => ['+1.5', '.5', '-0', '1.', '00012.50', '7e-3', '1E+22', '123456789012345', '1234567890123456', '  7 ', '0x1f'][rng.int(11)]!,
  ];
  const rows: string[][] = [];
  for (let i = 0; i < 400; i++) {
    const row = Array.from({ length: 5 }, () => forms[rng.int(3)]!());
    row.push(String(rng.next() * 3)); // weight
    row.push(rng.int(3) === 0 ? String(rng.int(3)) : `c${rng.int(3)}`); // label, sometimes numeric
    rows.push(row);
  }
  const lines = rows.map((r) => r.join(','));
  lines.splice(7, 0, '', '');
  const text = `a,b,c,d,e,w,label\n${lines.join('\r\n')}\n\n`;
  const bytes = Buffer.from(text, 'utf8');
  const bodyStart = bytes.indexOf(10) + 1;

  it.each([1 << 20, 300, 40])('windows of %i bytes (lines longer than a window get their own)', (windowBytes) => {
    const got = fastNumericBody(bytes, bodyStart, ',', 7, [0, 1, 2, 3, 4], 6, 5, windowBytes)!;
    expect(got).not.toBeNull();
    expect(got.n).toBe(rows.length);
    for (let i = 0; i < rows.length; i++) {
      for (let c = 0; c < 5; c++) expect(Object.is(got.X[i * 5 + c], Number(rows[i]![c]))).toBe(true);
      expect(got.weights![i]).toBe(Number(rows[i]![5]));
    }
    expect(got.labels).toEqual(rows.map((r) => r[6]));
    const numeric = fastNumericBody(Buffer.from('a,l\n1,2\n2,10\n'), 4, ',', 2, [0], 1, -1, windowBytes)!;
    expect(numeric.labels).toEqual([2, 10]);
  });

  it('refuses what it cannot read plainly, so that csv-parse names the problem', () => {
    const body = (t: string) => fastNumericBody(Buffer.from(`a,b,l\n${t}`), 6, ',', 3, [0, 1], 2, -1, 16);
    expect(body('1,2,x\n3,4,y\n')).not.toBeNull();
    for (const bad of ['1,2,x\n3,,y\n', '1,2\n', '1,2,x,4\n', '1,abc,x\n', '1,2, \n', '1,2,x\r3,4,y\n', '1,Infinity,x\n', '1,1e400,x\n', '"1",2,x\n']) {
      expect(body(bad)).toBeNull();
    }
    expect(fastNumericBody(Buffer.from('a,w,l\n1,-2,x\n'), 6, ',', 3, [0], 2, 1, 16)).toBeNull();
  });
});

describe('DataError messages name the file, line and column', () => {
  const cases: Array<[string, () => unknown, string]> = [
    ['negative weight', () => readCsv(file('w.csv', 'a,w,l\n1,-1,x\n'), { weightColumn: 'w' }), 'line 2, column "w": weight -1 is negative'],
    ['empty label', () => readCsv(file('el.csv', 'a,l\n1,\n')), 'line 2, column "l": empty label'],
    ['bad delimiter option', () => readCsv(file('d.csv', 'a,l\n1,x\n'), { delimiter: '|' }), 'the delimiter "|" is not one of ",", ";", tab'],
    ['only a target column', () => readCsv(file('only.csv', 'l\nx\n')), 'has no feature columns (only the target and weight columns)'],
    ['empty header name', () => readCsv(file('eh.csv', 'a,,l\n1,2,x\n')), 'line 1: column 2 of the header has no name'],
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
