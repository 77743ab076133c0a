import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCsv } from '../../src/data/csv.js';
import { readCsvSource } from '../../src/data/csvReader.js';
import { DataError } from '../../src/data/errors.js';
import { bytesSource } from '../../src/data/source.js';
import { type Table, compareUtf8 } from '../../src/data/table.js';

const dir = mkdtempSync(join(tmpdir(), 'logreg-csv-'));
const file = (name: string, content: string | Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};
const read = (text: string, options: Parameters<typeof readCsvSource>[1] = {}) =>
  readCsvSource(bytesSource('t.csv', Buffer.from(text)), options);
const col = (t: Table, name: string) => t.columns.find((c) => c.name === name)!;
const numbers = (t: Table, name: string) => {
  const c = col(t, name);
  if (c.kind !== 'numeric') throw new Error(`${name} is ${c.kind}`);
  return Array.from(c.values);
};
const texts = (t: Table, name: string) => {
  const c = col(t, name);
  if (c.kind !== 'categorical') throw new Error(`${name} is ${c.kind}`);
  return Array.from(c.codes, (k) => (k < 0 ? null : c.levels[k]!));
};

describe('CSV reading: cells and their types', () => {
  it('types columns: numbers, text, and missing cells of either', () => {
    const t = read('a,b,c\n1,x,\n2.5,"y, z",NA\n-3e2,x,7\n');
    expect(t.n).toBe(3);
    expect(numbers(t, 'a')).toEqual([1, 2.5, -300]);
    expect(texts(t, 'b')).toEqual(['x', 'y, z', 'x']);
    expect(numbers(t, 'c')).toEqual([NaN, NaN, 7]);
    expect(col(t, 'c').missing).toBe(2);
  });

  it('whitespace-only cells (spaces, tab, no-break space, a lone BOM) are missing, never 0', () => {
    const t = read('a,b,y\n1,2,0\n  ,3,1\n\t,1,0\n\u00a0,0,1\n\ufeff,5,0\n');
    expect(numbers(t, 'a')).toEqual([1, NaN, NaN, NaN, NaN]);
    expect(col(t, 'a').missing).toBe(4);
    const labels = read('a,y\n1,x\n2,\u00a0\n3,y\n');
    expect(texts(labels, 'y')).toEqual(['x', null, 'y']);
  });

  it('reads numbers bit for bit as Number() does, including long ones and odd spacing', () => {
    const cells = ['0.1', '-0', '1e-310', '123456789012345678901234567890', '0.30000000000000004', ' 42 ', '+.5', '5.', '1E5', '-inf', 'Infinity'];
    const t = read(`v\n${cells.join('\n')}\n`);
    const got = numbers(t, 'v');
    cells.forEach((c, i) => expect(Object.is(got[i], Number(c.trim().replace(/^([+-]?)inf$/i, '$1Infinity')))).toBe(true));
  });

  it('hex, binary and octal literals and thousands separators are text, as in pandas and R', () => {
    for (const cell of ['0x10', '0b101', '0o17', '1,000', '1_000', '1.2.3', '.', '-', 'e5']) {
      const t = read(`v,w\n"${cell}",1\n2,1\n`);
      expect(col(t, 'v').kind).toBe('categorical');
    }
  });

  it('missing-value tokens are configurable; NaN is one by default', () => {
    expect(numbers(read('v\nNaN\nN/A\nnull\n1\n'), 'v')).toEqual([NaN, NaN, NaN, 1]);
    const t = read('v\n?\n1\n', { naValues: ['?'] });
    expect(numbers(t, 'v')).toEqual([NaN, 1]);
    expect(col(read('v\nNA\n1\n', { naValues: [] }), 'v').kind).toBe('categorical');
  });

  it('decimal commas with semicolons', () => {
    const t = read('a;b;y\n1,5;x;0\n-2,25;y;1\n3;x;0\n', { decimal: ',' });
    expect(numbers(t, 'a')).toEqual([1.5, -2.25, 3]);
    expect(() => read('a,b\n1,2\n', { decimal: ',', delimiter: ',' })).toThrow(/the delimiter and the decimal mark are both ","/);
  });

  it('levels sort by UTF-8 bytes (code points), not UTF-16 units or locale', () => {
    const t = read('v\nb\nB\na\n\uff5e\n\u{1f600}\nä\n');
    const c = col(t, 'v');
    if (c.kind !== 'categorical') throw new Error('not categorical');
    expect(c.levels).toEqual(['B', 'a', 'b', 'ä', '\uff5e', '\u{1f600}']);
    const bytes = c.levels.map((l) => Buffer.from(l));
    for (let i = 1; i < bytes.length; i++) expect(Buffer.compare(bytes[i - 1]!, bytes[i]!)).toBe(-1);
  });

  it('quoted fields: delimiters, doubled quotes and line breaks inside, and the line numbers after them', () => {
    const t = read('a,b\n"x ""q"" \n y",1\n"",2\nz,3\n');
    expect(texts(t, 'a')).toEqual(['x "q" \n y', null, 'z']);
    expect(t.locate(2).line).toBe(5);
  });

  it('reads only the columns asked for, in file order, checking the others for shape', () => {
    const t = read('a,b,c\n1,x,2\n3,y,4\n', { columns: ['c', 'a'] });
    expect(t.columns.map((c) => c.name)).toEqual(['a', 'c']);
    expect(() => read('a,b,c\n1,x,2\n3,y\n', { columns: ['a'] })).toThrow(/line 3: expected 3 fields \(as in the header\), got 2/);
  });
});

describe('CSV reading: the file as a whole', () => {
  it('line ends LF, CRLF and CR, a BOM, blank lines, no final line break', () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const t = read(`\ufeffa,b${eol}1,2${eol}${eol}3,4`);
      expect([t.n, ...numbers(t, 'a'), ...numbers(t, 'b')]).toEqual([2, 1, 3, 2, 4]);
      expect(t.locate(1).line).toBe(4);
    }
  });

  it('errors name the file and line', () => {
    const cases: Array<[string, RegExp]> = [
      ['a,b\n1,2\n3\n', /t\.csv: line 3: expected 2 fields \(as in the header\), got 1$/],
      ['a,b\n1,2\n3,4,5\n', /line 3: expected 2 fields \(as in the header\), got 3$/],
      ['a,b\n1,2\n"x,4\n5,6\n', /line 3: a quoted field is never closed \(unterminated quote\)$/],
      ['a,a\n1,2\n', /line 1: the header names column "a" twice \(columns 1 and 2\)$/],
      ['a,\n1,2\n', /line 1: column 2 of the header has no name$/],
      ['a,b\n', /has a header but no data rows$/],
      ['', /the file is empty$/],
      [' \n\n', /the file is empty$/],
      ['a,b\n"x"y,1\n', /line 2: is not valid CSV/],
    ];
    for (const [text, message] of cases) {
      let err: unknown = null;
      try {
        read(text);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(DataError);
      expect((err as Error).message).toMatch(message);
    }
  });

  it('files: missing, a folder, binary', () => {
    expect(() => readCsv(join(dir, 'nope.csv'))).toThrow(/nope\.csv: no such file$/);
    expect(() => readCsv(dir)).toThrow(/is a folder, not a CSV file$/);
    expect(() => readCsv(file('bin.csv', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x01])))).toThrow(/contains NUL bytes/);
  });

  it('a column that turns out to be text late in the file is read again as text', () => {
    const rows = Array.from({ length: 5000 }, (_, i) => `${i},${i % 7}`);
    rows[4321] = '4321,seven';
    const t = read(`a,b\n${rows.join('\n')}\n`, { windowBytes: 256 });
    expect(col(t, 'b').kind).toBe('categorical');
    expect(texts(t, 'b')[4321]).toBe('seven');
    expect(texts(t, 'b')[8]).toBe('1');
  });
});

/** A cell of a generated table: what to write, and what it must read as. */
type Cell = { write: string; value: number | string | null };

const numberCell: fc.Arbitrary<Cell> = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => ({ write: String(v), value: Number(String(v)) })),
  fc.integer({ min: -1e6, max: 1e6 }).map((v) => ({ write: String(v), value: v })),
  fc.tuple(fc.integer({ min: -999, max: 999 }), fc.integer({ min: 0, max: 99999 })).map(([a, b]) => {
    const s = `${a}.${String(b).padStart(5, '0')}`;
    return { write: s, value: Number(s) };
  }),
);
const missingCell: fc.Arbitrary<Cell> = fc.constantFrom('', ' ', 'NA', 'N/A', 'NaN', 'null', '""', '\t').map((w) => ({ write: w, value: null }));
const textCell: fc.Arbitrary<Cell> = fc
  .string({ unit: fc.constantFrom('a', 'b', 'Z', ',', '"', '\n', ' ', 'é', '\u{1f600}', 'x', '1'), minLength: 1, maxLength: 6 })
  .filter((s) => s.trim() !== '' && !['NA', 'N/A', 'NaN', 'null'].includes(s.trim()) && !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s.trim()))
  .map((s) => ({ write: `"${s.replace(/"/g, '""')}"`, value: s }));

describe('CSV reading: property tests', () => {
  it('any table of numbers, text and missing cells reads back as written, whatever the window size', () => {
    const table = fc.integer({ min: 1, max: 4 }).chain((cols) =>
      fc.record({
        kinds: fc.array(fc.constantFrom('num', 'text'), { minLength: cols, maxLength: cols }),
        rows: fc.integer({ min: 1, max: 40 }),
        eol: fc.constantFrom('\n', '\r\n'),
        window: fc.constantFrom(64, 97, 1000, 1 << 20),
      }).chain((spec) => fc.record({
        spec: fc.constant(spec),
        cells: fc.array(
          fc.tuple(...spec.kinds.map((k) => fc.oneof({ weight: 4, arbitrary: k === 'num' ? numberCell : textCell }, { weight: 1, arbitrary: missingCell }))),
          { minLength: spec.rows, maxLength: spec.rows },
        ),
      })),
    );
    fc.assert(fc.property(table, ({ spec, cells }) => {
      const names = spec.kinds.map((_, j) => `c${j}`);
      // An empty line is not a row (as in csv-parse and pandas): a lone empty cell is written "".
      const write = (c: Cell) => (c.write === '' && spec.kinds.length === 1 ? '""' : c.write);
      const text = [names.join(','), ...cells.map((r) => r.map(write).join(','))].join(spec.eol) + spec.eol;
      const t = read(text, { windowBytes: spec.window });
      expect(t.n).toBe(cells.length);
      spec.kinds.forEach((_, j) => {
        const want = cells.map((r) => r[j]!.value);
        const c = t.columns[j]!;
        const anyText = want.some((v) => typeof v === 'string');
        expect(c.kind).toBe(anyText ? 'categorical' : 'numeric');
        if (c.kind === 'numeric') {
          Array.from(c.values).forEach((v, i) => expect(Object.is(v, want[i] ?? NaN)).toBe(true));
        } else {
          const levels = [...new Set(want.filter((v) => v !== null).map((v) => (typeof v === 'number' ? cells.find((r) => r[j]!.value === v)![j]!.write.trim() : v)))];
          expect([...c.levels]).toEqual(levels.sort(compareUtf8));
          Array.from(c.codes).forEach((code, i) => {
            const w = want[i];
            if (w === null) expect(code).toBe(-1);
            else expect(c.levels[code]).toBe(typeof w === 'number' ? cells[i]![j]!.write.trim() : w);
          });
        }
        expect(c.missing).toBe(want.filter((v) => v === null).length);
      });
    }), { numRuns: 300 });
  });
});

describe('CSV reading: beyond 2 GiB', () => {
  it('a 2.2 GB source is read in windows (no single buffer could hold it), every row counted', () => {
    // A generated source: a header, then rows "d,<1000 bytes of padding>,evn\n" or odd, all of one length.
    const header = Buffer.from('a,pad,y\n');
    const rowBytes = (i: number) => `${i % 10},${'x'.repeat(1000)},${i % 2 === 0 ? 'evn' : 'odd'}\n`;
    const L = rowBytes(0).length; // every row has the same length
    const rows = Math.ceil(2.2e9 / L);
    const block = Buffer.from(Array.from({ length: 20 }, (_, i) => rowBytes(i)).join('')); // 20 rows: the pattern repeats every 20
    const size = header.length + rows * L;
    const source = {
      name: 'generated.csv',
      size,
      read(into: Uint8Array, position: number) {
        const n = Math.max(0, Math.min(into.length, size - position));
        let w = 0;
        if (position < header.length) {
          const k = Math.min(n, header.length - position);
          into.set(header.subarray(position, position + k));
          w = k;
        }
        while (w < n) {
          const off = (position + w - header.length) % block.length;
          const k = Math.min(n - w, block.length - off);
          into.set(block.subarray(off, off + k), w);
          w += k;
        }
        return n;
      },
      close() {},
    };
    expect(size).toBeGreaterThan(2 ** 31);
    const t = readCsvSource(source, { columns: ['a', 'y'] });
    expect(t.n).toBe(rows);
    const a = col(t, 'a');
    if (a.kind !== 'numeric') throw new Error('a is not numeric');
    expect([a.values[0], a.values[9], a.values[rows - 1]]).toEqual([0, 9, (rows - 1) % 10]);
    expect(texts(t, 'y')[rows - 1]).toBe((rows - 1) % 2 === 0 ? 'evn' : 'odd');
    expect(t.locate(rows - 1).line).toBe(rows + 1);
  }, 180_000);
});
