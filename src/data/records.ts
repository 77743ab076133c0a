import { describe } from '../backend/dense.js';
import { type Column, type Table, compareUtf8 } from './table.js';

/**
 * Tables from JavaScript values, for the API: an array of records (`[{ age: 26, sex: 'f' }, …]`)
 * or an object of columns (`{ age: [26, 41], sex: ['f', 'm'] }`). A column is numeric when every
 * value that is not missing is a finite number, else categorical, its levels the values' texts
 * (numbers written as String() writes them, booleans as "true"/"false"). Missing: null, undefined,
 * NaN, and strings that are empty or whitespace. Infinite numbers are refused (a TypeError would
 * hide them in a level called "Infinity").
 */
export type Records = ReadonlyArray<Readonly<Record<string, unknown>>>;
export type ColumnObject = Readonly<Record<string, ArrayLike<unknown>>>;
export type TableLike = Table | Records | ColumnObject;

/** Whether x is a Table (as readCsv returns it). */
export function isTable(x: unknown): x is Table {
  return typeof x === 'object' && x !== null && Array.isArray((x as Table).columns) && typeof (x as Table).locate === 'function';
}

/** A Table from a table, an array of records or an object of columns; `name` is used in messages. */
export function toTable(x: TableLike, name = 'the table'): Table {
  if (isTable(x)) return x;
  if (Array.isArray(x)) return fromRecords(x as Records, name);
  if (typeof x === 'object' && x !== null) return fromColumns(x as ColumnObject, name);
  throw new TypeError(`${name} must be an array of records or an object of columns, got ${describe(x)}`);
}

function fromRecords(rows: Records, name: string): Table {
  const names: string[] = [];
  const seen = new Set<string>();
  rows.forEach((r, i) => {
    if (typeof r !== 'object' || r === null || Array.isArray(r)) throw new TypeError(`${name}[${i}] must be a record (an object of values by column), got ${describe(r)}`);
    for (const k of Object.keys(r)) if (!seen.has(k)) {
      seen.add(k);
      names.push(k);
    }
  });
  const columns = names.map((col) => makeColumn(col, rows.length, (i) => rows[i]![col], name));
  return plainTable(name, rows.length, names, columns);
}

function fromColumns(cols: ColumnObject, name: string): Table {
  const names = Object.keys(cols);
  let n = -1;
  for (const col of names) {
    const v = cols[col];
    if (v === null || v === undefined || typeof v !== 'object' || typeof (v as ArrayLike<unknown>).length !== 'number') {
      throw new TypeError(`${name}.${col} must be an array of values, got ${describe(v)}`);
    }
    if (n >= 0 && v.length !== n) throw new RangeError(`${name}.${col} has ${v.length} values but ${name}.${names[0]} has ${n}; every column needs the same length`);
    n = v.length;
  }
  const columns = names.map((col) => makeColumn(col, Math.max(n, 0), (i) => cols[col]![i], name));
  return plainTable(name, Math.max(n, 0), names, columns);
}

/** A table of values passed in memory: rows are located by their index. */
function plainTable(source: string, n: number, names: string[], columns: Column[]): Table {
  return { source, n, names, columns, warnings: [], locate: (row) => ({ record: row }) };
}

function isMissing(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v)) || (typeof v === 'string' && v.trim() === '');
}

function makeColumn(col: string, n: number, get: (i: number) => unknown, name: string): Column {
  let numeric = true;
  for (let i = 0; i < n && numeric; i++) {
    const v = get(i);
    if (!isMissing(v) && typeof v !== 'number') numeric = false;
  }
  if (numeric) {
    const values = new Float64Array(n);
    let missing = 0;
    for (let i = 0; i < n; i++) {
      const v = get(i) as number | null | undefined;
      if (isMissing(v)) {
        values[i] = NaN;
        missing++;
      } else if (!Number.isFinite(v)) {
        throw new RangeError(`${name}: ${col} of row ${i} is ${v}; a numeric value must be finite`);
      } else {
        values[i] = v!;
      }
    }
    return { kind: 'numeric', name: col, values, missing };
  }
  const text: (string | null)[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const v = get(i);
    if (isMissing(v)) text[i] = null;
    else if (typeof v === 'string') text[i] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') {
      if (typeof v === 'number' && !Number.isFinite(v)) throw new RangeError(`${name}: ${col} of row ${i} is ${v}; a value must be finite`);
      text[i] = String(v);
    } else throw new TypeError(`${name}: ${col} of row ${i} must be a number, a string, a boolean or missing, got ${describe(v)}`);
  }
  const levels = [...new Set(text.filter((t): t is string => t !== null))].sort(compareUtf8);
  const index = new Map(levels.map((l, k) => [l, k]));
  const codes = new Int32Array(n);
  let missing = 0;
  for (let i = 0; i < n; i++) {
    const t = text[i]!;
    if (t === null) {
      codes[i] = -1;
      missing++;
    } else codes[i] = index.get(t)!;
  }
  return { kind: 'categorical', name: col, codes, levels, missing };
}
