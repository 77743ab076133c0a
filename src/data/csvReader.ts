import { Arena } from '../backend/arena.js';
import { resolveThreads } from '../backend/passes.js';
import { runChunks } from '../backend/pool.js';
import { lazy } from '../util/lazy.js';
import { LevelDictionary } from './dictionary.js';
import { DataError } from './errors.js';
import { numberFromText } from './number.js';
import type { ByteSource } from './source.js';
import { type Column, type Table, listNames } from './table.js';

const csvParse = lazy<typeof import('csv-parse/sync')>('csv-parse/sync');

/** How to read a CSV file. */
export interface CsvOptions {
  /** ',', ';', tab ('\t', the two characters \t, or 'tab'); detected from the header line when not given. */
  delimiter?: string;
  /** The decimal mark of numbers: '.' (default) or ','. */
  decimal?: '.' | ',';
  /** Cells that mean "missing" besides empty or whitespace-only ones. Default: NA, N/A, NaN, null. */
  naValues?: readonly string[];
  /** Read only these columns (by name); the others are checked for shape only. Default: every column. */
  columns?: readonly string[];
  /** Or: the columns to read, chosen from the header's names once they are known. */
  select?: (names: readonly string[]) => readonly string[];
  /** Read these columns as categorical even when every cell is a number (a model fitted with them so). */
  categorical?: readonly string[];
  /** Bytes read at a time (for tests; default 16 MiB). */
  windowBytes?: number;
}

export const DEFAULT_NA_VALUES: readonly string[] = ['NA', 'N/A', 'NaN', 'null'];

const DELIMITERS: Record<string, string> = { ',': ',', ';': ';', '\t': '\t', '\\t': '\t', tab: '\t', comma: ',', semicolon: ';' };

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

const WINDOW = 16 << 20;
/** Bytes of the sample whose rows decide the columns' types before the whole file is read. */
const SAMPLE_BYTES = 256 << 10;
/** Most bytes of per-window outputs (numbers, spans, codes) at a time. */
const OUTPUT_BYTES = 64 << 20;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** A value cut for a message: at most 80 characters, then an ellipsis. */
export function quoteCell(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}

/**
 * Reads a CSV source (a header row, then data rows; RFC 4180 quotes; UTF-8, with or without a
 * byte-order mark; LF, CR-LF or CR line ends; comma, semicolon or tab) into a table of typed
 * columns, a window of bytes at a time, so that files larger than memory allows for a single
 * buffer are read too. Every problem is a DataError naming the source and, where it applies, the
 * line and column: a ragged row, a malformed or unterminated quote, a duplicated or empty column
 * name, a file that is not UTF-8 text.
 *
 * A column is numeric when every cell that is not missing is a number in the decimal notation
 * (src/data/wasm/csv.ts says exactly which), else categorical with its distinct texts as levels
 * (sorted by their UTF-8 bytes). Cells that are empty, whitespace, or one of `naValues` are missing.
 * Numbers are read bit for bit as JavaScript's Number() reads them.
 *
 * The work is done by the kernel module on windows of the file copied into kernel memory: a scan
 * for the rows' starts, then the rows parsed in chunks shared by the worker threads, then the text
 * cells of each column looked up in a hash dictionary. A column first seen as numeric that turns out
 * to hold text makes the reader start again with that column as text (the types are not known
 * before the whole file has been seen).
 */
export function readCsvSource(source: ByteSource, options: CsvOptions = {}): Table {
  const windowBytes = Math.max(64, Math.floor(options.windowBytes ?? WINDOW));
  const naValues = options.naValues ?? DEFAULT_NA_VALUES;
  const dec = options.decimal ?? '.';
  if (dec !== '.' && dec !== ',') throw new DataError(source.name, `the decimal mark ${JSON.stringify(dec)} is not "." or ","`);
  try {
    const header = readHeader(source, options.delimiter, dec, windowBytes);
    let wanted = options.columns;
    if (wanted === undefined && options.select !== undefined) {
      try {
        wanted = options.select(header.names);
      } catch (e) {
        // A choice of columns that does not fit this file (an unknown target, a formula naming a
        // column it lacks): the message names the file.
        if (e instanceof RangeError) throw new DataError(source.name, e.message);
        throw e;
      }
    }
    const read = wanted === undefined ? header.names.map((_, j) => j) : wanted.map((name) => {
      const j = header.names.indexOf(name);
      if (j < 0) throw new DataError(source.name, `has no column ${JSON.stringify(name)} (columns: ${listNames(header.names)})`);
      return j;
    });
    const text = new Set<number>();
    for (const name of options.categorical ?? []) {
      const j = header.names.indexOf(name);
      if (j >= 0) text.add(j);
    }
    const columns = [...new Set(read)].sort((a, b) => a - b);
    // The types of the columns from a sample first (the first rows, at most SAMPLE_BYTES), so that
    // the whole file is usually read once; a column that turns out to hold text later on makes
    // the reader start again with it as text.
    for (;;) {
      const r = readBody(source, header, columns, text, naValues, dec, Math.min(windowBytes, SAMPLE_BYTES), true);
      if ('table' in r) break;
      for (const j of r.becameText) text.add(j);
    }
    for (;;) {
      const r = readBody(source, header, columns, text, naValues, dec, windowBytes, false);
      if ('table' in r) return r.table;
      for (const j of r.becameText) text.add(j);
    }
  } finally {
    source.close();
  }
}

interface Header {
  names: string[];
  delimiter: string;
  /** Byte offset where the body starts (after the header row and a byte-order mark). */
  bodyStart: number;
  /** Line number of the body's first byte. */
  bodyLine: number;
}

/** Reads the header row: its names (trimmed, each non-empty and unique), the delimiter, where the body starts. */
function readHeader(source: ByteSource, delimiterOption: string | undefined, dec: string, windowBytes: number): Header {
  const file = source.name;
  if (source.size === 0) throw new DataError(file, 'the file is empty');
  let size = Math.min(windowBytes, source.size);
  for (;;) {
    const buf = new Uint8Array(size);
    const got = source.read(buf, 0);
    const bytes = buf.subarray(0, got);
    const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    let p = bom;
    while (p < bytes.length && (bytes[p] === 10 || bytes[p] === 13 || bytes[p] === 32 || bytes[p] === 9)) p++;
    if (p >= bytes.length && got === source.size) throw new DataError(file, 'the file is empty');
    // The header row ends at the first line break outside quotes.
    let q = p;
    let quoted = false;
    while (q < bytes.length && (quoted || (bytes[q] !== 10 && bytes[q] !== 13))) {
      if (bytes[q] === 34) quoted = !quoted;
      q++;
    }
    if (q >= bytes.length && got < source.size) {
      size = Math.min(size * 4, source.size);
      continue;
    }
    let line: string;
    try {
      line = UTF8.decode(bytes.subarray(p, q));
    } catch {
      throw new DataError(file, 'is not UTF-8 text', { line: 1 });
    }
    const delimiter = resolveDelimiter(file, line, delimiterOption, dec);
    let record: string[];
    try {
      record = (csvParse().parse(line, { delimiter, relax_column_count: true, to: 1 }) as string[][])[0] ?? [];
    } catch (e) {
      const err = e as Error & { code?: string };
      if (err.code === 'CSV_QUOTE_NOT_CLOSED') throw new DataError(file, 'a quoted field is never closed (unterminated quote)', { line: 1 });
      throw new DataError(file, `the header is not valid CSV (${err.message.replace(/\s+/g, ' ')})`, { line: 1 });
    }
    const names = record.map((h) => h.trim());
    const seen = new Map<string, number>();
    names.forEach((h, j) => {
      if (h === '') throw new DataError(file, `column ${j + 1} of the header has no name`, { line: 1 });
      if (seen.has(h)) throw new DataError(file, `the header names column ${quoteCell(h)} twice (columns ${seen.get(h)! + 1} and ${j + 1})`, { line: 1 });
      seen.set(h, j);
    });
    // Line breaks skipped before the header, then the header's own.
    let lineNo = 1;
    for (let t = bom; t < p; t++) if (bytes[t] === 10 || (bytes[t] === 13 && bytes[t + 1] !== 10)) lineNo++;
    let bodyStart = q;
    if (bytes[bodyStart] === 13) bodyStart++;
    if (bytes[bodyStart] === 10) bodyStart++;
    if (bodyStart > q) lineNo++;
    for (let t = p; t < q; t++) if (bytes[t] === 10) lineNo++;
    return { names, delimiter, bodyStart, bodyLine: lineNo };
  }
}

function resolveDelimiter(file: string, headerLine: string, option: string | undefined, dec: string): string {
  let d: string;
  if (option !== undefined) {
    const found = DELIMITERS[option];
    if (found === undefined) throw new DataError(file, `the delimiter ${JSON.stringify(option)} is not one of ",", ";", tab`);
    d = found;
  } else {
    d = detectDelimiter(headerLine);
  }
  if (d === dec) throw new DataError(file, `the delimiter and the decimal mark are both ${JSON.stringify(d)}; use --delimiter ";" with --decimal ","`);
  return d;
}

type BodyResult = { table: Table } | { becameText: number[] };

/** Growable typed arrays that the windows' columns are appended to. */
class Growing<T extends Float64Array | Int32Array> {
  constructor(public data: T, private readonly make: (n: number) => T) {}
  ensure(n: number): void {
    if (n <= this.data.length) return;
    const next = this.make(Math.max(n, Math.ceil(this.data.length * 1.5)));
    next.set(this.data as ArrayLike<number>);
    this.data = next;
  }
}

/** One window of the body, as `forEachWindow` hands it over. */
interface Window {
  /** Byte offset of the window in the arena, and a view of its `len` bytes. */
  ptr: number;
  bytes: Uint8Array;
  len: number;
  /** Complete rows in it: their starts (uint32 offsets) at startsP. */
  rows: number;
  startsP: number;
  /** Bytes taken by those rows (the rest is carried to the next window). */
  consumed: number;
  /** Line of the window's first byte. */
  line: number;
}

/**
 * Reads the body of a source a window at a time into kernel memory and finds each window's rows
 * (at most `cap`, starts written at startsP): `visit` sees every window with at least one row, and
 * may return false to stop. A row longer than the window gets a larger window.
 */
function forEachWindow(
  arena: Arena, source: ByteSource, header: Header, windowBytes: number, cap: number, startsP: number, visit: (w: Window) => boolean,
): void {
  const sep = header.delimiter.charCodeAt(0);
  const scan = arena.fn('scanRows');
  const scanned = arena.fn('scannedBytes');
  const scannedLines = arena.fn('scannedLines');
  let windowCap = windowBytes;
  let ptr = arena.alloc(windowCap + 16, false);
  let position = header.bodyStart;
  let carried = 0;
  let line = header.bodyLine;
  for (;;) {
    const bytes = arena.u8(ptr, windowCap);
    const got = position < source.size ? source.read(bytes.subarray(carried), position) : 0;
    position += got;
    const len = carried + got;
    const final = position >= source.size || got === 0 ? 1 : 0;
    if (len === 0) return;
    const rows = scan(ptr, len, final, sep, startsP, cap);
    if (rows < 0) {
      throw new DataError(source.name, 'a quoted field is never closed (unterminated quote)', { line: line + lineBreaks(bytes, 0, -1 - rows) });
    }
    const consumed = scanned();
    if (consumed === 0) {
      if (final) return;
      // A row longer than the window: a window twice as large.
      windowCap *= 2;
      const bigger = arena.alloc(windowCap + 16, false);
      arena.u8(bigger, len).set(bytes.subarray(0, len));
      ptr = bigger;
      carried = len;
      continue;
    }
    if (rows > 0 && !visit({ ptr, bytes: arena.u8(ptr, len), len, rows, startsP, consumed, line })) return;
    line += scannedLines();
    carried = len - consumed;
    if (carried > 0) arena.u8(ptr, windowCap).copyWithin(0, consumed, len);
    else if (final) return;
  }
}

/** One pass over the body with the given text columns; says which more became text, or returns the table. */
function readBody(
  source: ByteSource, header: Header, read: readonly number[], text: ReadonlySet<number>, naValues: readonly string[], dec: string,
  windowBytes: number, sampleOnly: boolean,
): BodyResult {
  const file = source.name;
  const nCols = header.names.length;
  const sep = header.delimiter.charCodeAt(0);
  const arena = new Arena(windowBytes * 2 + (1 << 20));
  const kinds = new Int32Array(nCols);
  const slots = new Int32Array(nCols).fill(-1);
  const numericCols: number[] = [];
  const textCols: number[] = [];
  for (const j of read) {
    const isText = text.has(j);
    kinds[j] = isText ? 2 : 1;
    slots[j] = isText ? textCols.length : numericCols.length;
    (isText ? textCols : numericCols).push(j);
  }
  const kindsP = arena.alloc(nCols * 4);
  arena.i32(kindsP, nCols).set(kinds);
  const slotsP = arena.alloc(nCols * 4);
  arena.i32(slotsP, nCols).set(slots);
  const textSeenP = arena.alloc(nCols);
  const tokensP = writeTokens(arena, naValues);
  const tokenFirstP = arena.alloc(256);
  for (const t of naValues) if (t.length > 0) arena.u8(tokenFirstP, 256)[new TextEncoder().encode(t)[0]!] = 1;
  const partBytes = Math.ceil((8 * (2 + nCols)) / 64) * 64;
  const missingCounts = new Float64Array(nCols);
  const perRow = 8 * numericCols.length + 12 * textCols.length + 4;
  const cap = Math.max(1024, Math.min(Math.floor(windowBytes / 4), Math.floor(OUTPUT_BYTES / perRow)));
  const startsP = arena.alloc(cap * 4, false);
  const numP = arena.alloc(Math.max(1, numericCols.length * cap * 8), false);
  const spanP = arena.alloc(Math.max(1, textCols.length * cap * 8), false);
  const codesP = arena.alloc(Math.max(1, textCols.length * cap * 4), false);
  const dicts = textCols.map(() => new LevelDictionary(arena));
  // The records internColumns reads: per text column its dictionary, spans and codes.
  const tableP = arena.alloc(Math.max(1, textCols.length * 12));
  arena.i32(tableP, 3 * textCols.length).set(dicts.flatMap((d, s) => [d.header, spanP + s * cap * 8, codesP + s * cap * 4]));
  const threads = resolveThreads('auto', source.size / 8);
  const numAcc = numericCols.map(() => new Growing(new Float64Array(0), (k) => new Float64Array(k)));
  const codeAcc = textCols.map(() => new Growing(new Int32Array(0), (k) => new Int32Array(k)));
  const parts = arena.alloc(16 * partBytes, false);
  let scratchBytes = 0;
  let scratchP = 0;

  let n = 0;
  let becameText: number[] = [];
  forEachWindow(arena, source, header, windowBytes, cap, startsP, (w) => {
    const m = w.rows;
    arena.u8(textSeenP, nCols).fill(0);
    const status = runChunks(arena, {
      fn: 'parseRows', rows: m, parts, partBytes,
      args: [w.ptr, w.len, startsP, sep, dec.charCodeAt(0), nCols, kindsP, slotsP, numP, spanP, cap, tokensP, naValues.length, textSeenP, tokenFirstP],
    }, threads);
    status.forEach((s) => {
      if (s < 0) throw malformedRow(file, w.bytes, arena.u32(startsP, m)[-1 - s]!, w.len, w.line, header);
    });
    const seen = arena.u8(textSeenP, nCols);
    becameText = numericCols.filter((j) => seen[j] !== 0);
    if (becameText.length > 0) return false;
    let pending = 0;
    let longestEscaped = 0;
    for (let c = 0; c < status.length; c++) {
      const part = arena.f64(parts + c * partBytes, 2 + nCols);
      pending += part[0]!;
      for (let j = 0; j < nCols; j++) missingCounts[j] += part[1 + j]!;
      longestEscaped = Math.max(longestEscaped, part[1 + nCols]!);
    }
    if (pending > 0) for (let s = 0; s < numericCols.length; s++) settleUndecided(arena, numP + s * cap * 8, m, w.bytes, dec);
    if (n === 0) {
      // After the first window, size the columns for the whole file from its bytes per row.
      const estimate = Math.ceil(((source.size - header.bodyStart) / w.consumed) * m * 1.02) + 1024;
      for (const acc of [...numAcc, ...codeAcc]) acc.ensure(estimate);
    }
    for (let s = 0; s < numericCols.length; s++) {
      numAcc[s]!.ensure(n + m);
      numAcc[s]!.data.set(arena.f64(numP + s * cap * 8, m), n);
    }
    if (textCols.length > 0) {
      // The text columns interned on the worker threads, a column per task; each task's area is
      // scratch for undoing "" escapes (as long as the longest escaped field).
      for (const d of dicts) d.reserve(m, w.consumed);
      const need = Math.ceil((longestEscaped + 16) / 64) * 64;
      if (need > scratchBytes) {
        scratchBytes = need;
        scratchP = arena.alloc(16 * scratchBytes, false);
      }
      runChunks(arena, { fn: 'internColumns', rows: textCols.length, tasks: true, parts: scratchP, partBytes: scratchBytes, args: [tableP, w.ptr, m] }, threads);
      for (let s = 0; s < textCols.length; s++) {
        codeAcc[s]!.ensure(n + m);
        codeAcc[s]!.data.set(arena.i32(codesP + s * cap * 4, m), n);
      }
    }
    n += m;
    return !sampleOnly;
  });
  if (becameText.length > 0) return { becameText };
  if (n === 0) throw new DataError(file, 'has a header but no data rows');

  const columns: Column[] = read.map((j) => {
    const name = header.names[j]!;
    const missing = missingCounts[j]!;
    if (kinds[j] === 1) return { kind: 'numeric', name, values: numAcc[slots[j]!]!.data.subarray(0, n), missing };
    const codes = codeAcc[slots[j]!]!.data.subarray(0, n);
    let finished: { levels: string[]; counts: Int32Array };
    try {
      finished = dicts[slots[j]!]!.finish(codes);
    } catch {
      throw new DataError(file, 'is not UTF-8 text', { column: name });
    }
    return { kind: 'categorical', name, codes, levels: finished.levels, counts: finished.counts, missing };
  });
  return {
    table: {
      source: file,
      n,
      columns,
      names: header.names,
      warnings: [],
      locate: (row) => ({ line: locateRow(source, header, row, windowBytes) }),
    },
  };
}

/** The missing-value tokens as the kernel reads them: per token a uint32 length, then its bytes padded to 4. */
function writeTokens(arena: Arena, tokens: readonly string[]): number {
  const encoded = tokens.map((t) => new TextEncoder().encode(t));
  const ptr = arena.alloc(encoded.reduce((s, b) => s + 4 + Math.ceil(b.length / 4) * 4, 0) + 4);
  let o = ptr;
  for (const b of encoded) {
    arena.u32(o, 1)[0] = b.length;
    arena.u8(o + 4, b.length).set(b);
    o += 4 + Math.ceil(b.length / 4) * 4;
  }
  return ptr;
}

/** Line breaks (LF, CR-LF, lone CR) in bytes[from..to). */
function lineBreaks(bytes: Uint8Array, from: number, to: number): number {
  let k = 0;
  for (let t = from; t < to; t++) if (bytes[t] === 10 || (bytes[t] === 13 && bytes[t + 1] !== 10)) k++;
  return k;
}

/**
 * The error for a row the kernel could not split into the header's fields: csv-parse reads the
 * row's text again and says what is wrong (a field count, or its own message for a malformed quote).
 */
function malformedRow(file: string, window: Uint8Array, start: number, len: number, windowLine: number, header: Header): DataError {
  const line = windowLine + lineBreaks(window, 0, start);
  // The row's text: up to the next line break outside quotes (as far as the window goes).
  let end = start;
  let quoted = false;
  while (end < len && (quoted || (window[end] !== 10 && window[end] !== 13))) {
    if (window[end] === 34) quoted = !quoted;
    end++;
  }
  const text = new TextDecoder().decode(window.subarray(start, end));
  try {
    const record = (csvParse().parse(text, { delimiter: header.delimiter, relax_column_count: true, to: 1 }) as string[][])[0] ?? [];
    return new DataError(file, `expected ${header.names.length} fields (as in the header), got ${record.length}`, { line });
  } catch (e) {
    return new DataError(file, `is not valid CSV (${(e as Error).message.replace(/\s+/g, ' ').replace(/ at line \d+/, '')})`, { line });
  }
}

/**
 * Replaces the undecided numbers (tagged NaNs, src/data/wasm/csv.ts) of one output column of a
 * window by Number() of their text (the kernel has checked the notation).
 */
function settleUndecided(arena: Arena, ptr: number, m: number, window: Uint8Array, dec: string): void {
  const words = arena.u32(ptr, 2 * m);
  const values = arena.f64(ptr, m);
  for (let i = 0; i < m; i++) {
    const hi = words[2 * i + 1]!;
    if ((hi & 0xfffc0000) >>> 0 !== 0x7ffc0000) continue;
    const off = words[2 * i]!;
    values[i] = numberFromText(new TextDecoder().decode(window.subarray(off, off + (hi & 0x3ffff))), dec);
  }
}

/** The line (1-based) where data row `row` (0-based) starts: the body scanned again up to it. */
function locateRow(source: ByteSource, header: Header, row: number, windowBytes: number): number {
  const arena = new Arena(windowBytes + (1 << 20));
  const cap = Math.max(1024, Math.floor(windowBytes / 4));
  const startsP = arena.alloc(cap * 4, false);
  let before = 0;
  let found = 0;
  try {
    forEachWindow(arena, source, header, windowBytes, cap, startsP, (w) => {
      if (row < before + w.rows) {
        found = w.line + lineBreaks(w.bytes, 0, arena.u32(startsP, w.rows)[row - before]!);
        return false;
      }
      before += w.rows;
      return true;
    });
  } finally {
    source.close();
  }
  return found;
}
