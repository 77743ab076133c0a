import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { arenaFloat64 } from '../backend/arena.js';
import { DataError } from './errors.js';
import { lazy } from '../util/lazy.js';
import { fastNumericBody } from './fastpath.js';

const csvParse = lazy<typeof import('csv-parse/sync')>('csv-parse/sync');

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

/**
 * A data set read from CSV: X is n×d, row-major, the features in `featureNames` order, in kernel
 * memory (so fitting and predicting read it without a copy).
 */
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

/** The file's bytes, without a UTF-8 byte-order mark; DataError when it cannot be read or is not text. */
function readBytes(file: string): Uint8Array {
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
  const bytes = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? buf.subarray(3) : buf;
  let blank = true;
  for (let p = 0; p < bytes.length && blank; p++) blank = bytes[p]! <= 32;
  if (blank) throw new DataError(file, 'the file is empty');
  return bytes;
}

function resolveDelimiter(file: string, text: string, option: string | undefined): string {
  if (option !== undefined) {
    const d = DELIMITERS[option];
    if (d === undefined) throw new DataError(file, `the delimiter ${JSON.stringify(option)} is not one of ",", ";", tab`);
    return d;
  }
  const nl = text.indexOf('\n');
  return detectDelimiter(nl < 0 ? text : text.slice(0, nl));
}

type Records = Array<{ record: string[]; info: { lines: number } }>;

function parseRecords(file: string, text: string, delimiter: string, to?: number): Records {
  try {
    return csvParse().parse(text, {
      delimiter, info: true, relax_column_count: true, skip_empty_lines: true, record_delimiter: ['\r\n', '\n', '\r'],
      ...(to === undefined ? {} : { to }),
    }) as unknown as Records;
  } catch (e) {
    const err = e as Error & { code?: string; lines?: number };
    const problem = err.code === 'CSV_QUOTE_NOT_CLOSED'
      ? 'a quoted field is never closed (unterminated quote)'
      : `is not valid CSV (${err.message.replace(/\s+/g, ' ')})`;
    throw new DataError(file, problem, err.lines !== undefined && err.code !== 'CSV_QUOTE_NOT_CLOSED' ? { line: err.lines } : {});
  }
}

/** The header row's names, trimmed. */
function parseHeader(file: string, text: string, delimiter: string): string[] {
  const first = parseRecords(file, text, delimiter, 1)[0];
  if (first === undefined) throw new DataError(file, 'the file is empty');
  return first.record.map((h) => h.trim());
}

/** Every data row as fields (csv-parse), with the file line each ends on; ragged rows are errors. */
function tokenize(file: string, text: string, delimiter: string, nCols: number): { rows: string[][]; lines: number[] } {
  const records = parseRecords(file, text, delimiter);
  const rows: string[][] = [];
  const lines: number[] = [];
  for (let r = 1; r < records.length; r++) {
    const rec = records[r]!;
    const line = rec.info.lines;
    if (rec.record.length !== nCols) {
      throw new DataError(file, `expected ${nCols} fields (as in the header), got ${rec.record.length}`, { line });
    }
    rows.push(rec.record);
    lines.push(line);
  }
  return { rows, lines };
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
  const bytes = readBytes(file);
  const firstBreak = bytes.indexOf(10);
  const headerEnd = firstBreak < 0 ? bytes.length : firstBreak;
  // The whole text is decoded only when the file needs csv-parse; a quoted header could span lines.
  let text: string | null = null;
  const wholeText = () => (text ??= Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8'));
  const quotedHeader = bytes.subarray(0, headerEnd).includes(34);
  const headerText = quotedHeader ? wholeText() : Buffer.from(bytes.buffer, bytes.byteOffset, headerEnd).toString('utf8');
  const delimiter = resolveDelimiter(file, headerText, options.delimiter);
  const header = parseHeader(file, headerText, delimiter);
  const seen = new Map<string, number>();
  header.forEach((h, j) => {
    if (h === '') throw new DataError(file, `column ${j + 1} of the header has no name`, { line: 1 });
    if (seen.has(h)) throw new DataError(file, `the header names column ${JSON.stringify(h)} twice (columns ${seen.get(h)! + 1} and ${j + 1})`, { line: 1 });
    seen.set(h, j);
  });

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

  const d = featureIdx.length;
  // Plain numeric files take the fast path; anything it does not accept is read again by csv-parse,
  // which gives the exact message (line and column) for whatever is wrong.
  const fast = quotedHeader ? null : fastNumericBody(bytes, headerEnd + 1, delimiter, header.length, featureIdx, tj, wj);
  let X: Float64Array;
  let y: Array<number | string> | null = null;
  let weights: Float64Array | null = null;
  let n: number;
  if (fast !== null) {
    ({ X, n, labels: y, weights } = fast);
  } else {
    let rawLabels: string[] | null = null;
    const { rows, lines } = tokenize(file, wholeText(), delimiter, header.length);
    if (rows.length === 0) throw new DataError(file, 'has a header but no data rows');
    n = rows.length;
    X = toMatrix(file, rows, lines, featureIdx, header);
    if (tj >= 0) {
      rawLabels = rows.map((r, i) => {
        const v = r[tj]!.trim();
        if (v === '') throw new DataError(file, 'empty label', { line: lines[i]!, column: header[tj]! });
        return v;
      });
    }
    if (wj >= 0) {
      weights = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const v = numericCell(file, rows[i]![wj]!, lines[i]!, header[wj]!, 'weight');
        if (v < 0) throw new DataError(file, `weight ${v} is negative`, { line: lines[i]!, column: header[wj]! });
        weights[i] = v;
      }
    }
    if (rawLabels !== null) {
      const nums = rawLabels.map((v) => Number(v));
      y = nums.every((v) => Number.isFinite(v)) ? nums : rawLabels;
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
  const X = arenaFloat64(rows.length * d);
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
