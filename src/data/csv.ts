import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { DataError } from './errors.js';

/** How to read a CSV file into a data set. */
export interface ReadOptions {
  /**
   * The label column. undefined: the last column (the Dataset says `targetDefaulted`);
   * null: no labels (data to predict).
   */
  target?: string | null;
  /** A column of per-row sample weights (finite, ≥ 0), excluded from the features. */
  weightColumn?: string;
  /** ',', ';' or '\t' (also 'tab'); detected from the header line when not given. */
  delimiter?: string;
  /** Exactly these feature columns, in this order, found by name; other columns are ignored. */
  features?: readonly string[];
}

/** A data set read from CSV: X is n×d, row-major, the features in `featureNames` order. */
export interface Dataset {
  file: string;
  featureNames: string[];
  X: Float64Array;
  n: number;
  d: number;
  target: string | null;
  targetDefaulted: boolean;
  /** Labels: numbers when every label is a number, else trimmed strings; null without a target. */
  y: Array<number | string> | null;
  weights: Float64Array | null;
}

const DELIMITERS: Record<string, string> = { ',': ',', ';': ';', '\t': '\t', tab: '\t', comma: ',', semicolon: ';' };

/** The delimiter among , ; and tab that splits the header line (outside quotes) into the most fields. */
export function detectDelimiter(headerLine: string): string {
  const counts: Record<string, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch in counts) counts[ch]! += 1;
  }
  let best = ',';
  for (const c of [';', '\t']) if (counts[c]! > counts[best]!) best = c;
  return best;
}

function readText(file: string): string {
  let st;
  try {
    st = statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DataError(file, code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? (e as Error).message})`);
  }
  if (st.isDirectory()) throw new DataError(file, 'is a folder, not a CSV file');
  let buf: Buffer;
  try {
    // Look for NUL bytes first, so a large binary file is refused without reading it whole.
    const fd = openSync(file, 'r');
    const head = Buffer.alloc(Math.min(65536, st.size));
    readSync(fd, head, 0, head.length, 0);
    closeSync(fd);
    if (head.includes(0)) throw new DataError(file, 'does not look like a text CSV file (it contains NUL bytes)');
    buf = readFileSync(file);
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(file, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let text = buf.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new DataError(file, 'the file is empty');
  return text;
}

interface Parsed {
  header: string[];
  rows: string[][];
  /** File line on which each row starts. */
  lines: number[];
}

function tokenize(file: string, text: string, delimiterOption: string | undefined): Parsed {
  let delimiter: string;
  if (delimiterOption !== undefined) {
    const d = DELIMITERS[delimiterOption];
    if (d === undefined) throw new DataError(file, `the delimiter ${JSON.stringify(delimiterOption)} is not one of ",", ";", tab`);
    delimiter = d;
  } else {
    const nl = text.indexOf('\n');
    delimiter = detectDelimiter(nl < 0 ? text : text.slice(0, nl));
  }
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, { delimiter, info: true, relax_column_count: true, skip_empty_lines: true, record_delimiter: ["\r\n", "\n", "\r"] }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  } catch (e) {
    const err = e as Error & { code?: string; lines?: number };
    const problem = err.code === 'CSV_QUOTE_NOT_CLOSED'
      ? 'a quoted field is never closed (unterminated quote)'
      : `is not valid CSV (${err.message.replace(/\s+/g, ' ')})`;
    throw new DataError(file, problem, err.lines !== undefined && err.code !== 'CSV_QUOTE_NOT_CLOSED' ? { line: err.lines } : {});
  }
  const first = records[0];
  if (first === undefined) throw new DataError(file, 'the file is empty');
  const header = first.record.map((h) => h.trim());
  const rows: string[][] = [];
  const lines: number[] = [];
  for (let r = 1; r < records.length; r++) {
    const rec = records[r]!;
    // info.lines is the line on which the record ends; a record spans one line unless quoted fields hold newlines.
    const line = rec.info.lines;
    if (rec.record.length !== header.length) {
      throw new DataError(file, `expected ${header.length} fields (as in the header), got ${rec.record.length}`, { line });
    }
    rows.push(rec.record);
    lines.push(line);
  }
  return { header, rows, lines };
}

function columnIndex(file: string, header: string[], name: string, role: string): number {
  const j = header.indexOf(name);
  if (j < 0) {
    const shown = header.length > 8 ? `${header.slice(0, 8).join(', ')}, …` : header.join(', ');
    throw new DataError(file, `has no ${role} column ${JSON.stringify(name)} (columns: ${shown})`);
  }
  return j;
}

/** Parses one numeric cell, or explains why it is not a finite number. */
function numericCell(file: string, raw: string, line: number, column: string, what: string): number {
  const t = raw.trim();
  if (t === '') throw new DataError(file, `empty ${what} value`, { line, column });
  const v = Number(t);
  if (Number.isNaN(v)) {
    throw new DataError(file, /^[+-]?nan$/i.test(t) ? `${what} value is NaN` : `${JSON.stringify(raw)} is not a number`, { line, column });
  }
  if (!Number.isFinite(v)) throw new DataError(file, `${what} value ${JSON.stringify(raw)} is infinite`, { line, column });
  return v;
}

/**
 * Reads a CSV file (header row; quoted fields; UTF-8 byte-order mark; CRLF or LF; comma, semicolon
 * or tab) into numeric features, labels and optional weights. Every problem is a DataError naming
 * the file, line and column.
 */
export function readCsv(file: string, options: ReadOptions = {}): Dataset {
  const text = readText(file);
  const { header, rows, lines } = tokenize(file, text, options.delimiter);
  const seen = new Map<string, number>();
  header.forEach((h, j) => {
    if (h === '') throw new DataError(file, `column ${j + 1} of the header has no name`, { line: 1 });
    if (seen.has(h)) throw new DataError(file, `the header names column ${JSON.stringify(h)} twice (columns ${seen.get(h)! + 1} and ${j + 1})`, { line: 1 });
    seen.set(h, j);
  });
  if (rows.length === 0) throw new DataError(file, 'has a header but no data rows');

  const targetDefaulted = options.target === undefined;
  const target = options.target === undefined ? header[header.length - 1]! : options.target;
  const tj = target === null ? -1 : columnIndex(file, header, target, 'target');
  const wj = options.weightColumn === undefined ? -1 : columnIndex(file, header, options.weightColumn, 'weight');
  if (wj >= 0 && wj === tj) throw new DataError(file, `the weight column ${JSON.stringify(options.weightColumn)} is also the target`);
  let featureIdx: number[];
  if (options.features !== undefined) {
    featureIdx = options.features.map((name) => {
      const j = header.indexOf(name);
      if (j < 0) throw new DataError(file, `lacks the feature column ${JSON.stringify(name)} that the model needs`);
      return j;
    });
  } else {
    featureIdx = header.map((_, j) => j).filter((j) => j !== tj && j !== wj);
  }
  if (featureIdx.length === 0) throw new DataError(file, 'has no feature columns (only the target and weight columns)');

  const n = rows.length;
  const d = featureIdx.length;
  const X = toMatrix(file, rows, lines, featureIdx, header);
  let y: Array<number | string> | null = null;
  if (tj >= 0) {
    const raw = rows.map((r, i) => {
      const v = r[tj]!.trim();
      if (v === '') throw new DataError(file, 'empty label', { line: lines[i]!, column: header[tj]! });
      return v;
    });
    const nums = raw.map((v) => Number(v));
    y = nums.every((v) => Number.isFinite(v)) ? nums : raw;
  }
  let weights: Float64Array | null = null;
  if (wj >= 0) {
    weights = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = numericCell(file, rows[i]![wj]!, lines[i]!, header[wj]!, 'weight');
      if (v < 0) throw new DataError(file, `weight ${v} is negative`, { line: lines[i]!, column: header[wj]! });
      weights[i] = v;
    }
  }
  return {
    file, featureNames: featureIdx.map((j) => header[j]!), X, n, d,
    target: tj >= 0 ? header[tj]! : null, targetDefaulted: targetDefaulted && tj >= 0, y, weights,
  };
}

/** Converts the feature fields to a row-major Float64Array, checking every value. */
function toMatrix(file: string, rows: string[][], lines: number[], featureIdx: number[], header: string[]): Float64Array {
  const d = featureIdx.length;
  const X = new Float64Array(rows.length * d);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    for (let c = 0; c < d; c++) {
      const j = featureIdx[c]!;
      const raw = r[j]!;
      // Fast path: Number() of a non-empty, untrimmed numeric field; anything odd goes through the checks.
      const v = raw.length > 0 ? Number(raw) : NaN;
      X[i * d + c] = Number.isFinite(v) && raw.trim() === raw ? v : numericCell(file, raw, lines[i]!, header[j]!, 'feature');
    }
  }
  return X;
}
