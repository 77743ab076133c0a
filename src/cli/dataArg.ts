import { statSync } from 'node:fs';
import { type CsvOptions, readCsvSource } from '../data/csvReader.js';
import { fileSource } from '../data/fileSource.js';
import { resolveDataArg } from '../data/registry.js';
import { bytesSource } from '../data/source.js';
import type { Table } from '../data/table.js';
import { readDuckTable } from '../data/duckdb.js';
import { warmUp } from '../index.js';
import { CliError } from './errors.js';
import { readStdin } from './files.js';

/**
 * Files from this size up hold enough values that a fit on them runs its passes on every core; the
 * worker threads, which take tens of milliseconds to start, then start while the file is read.
 */
const WARM_UP_BYTES = 2_000_000;

/** What --data resolved to, and the table read from it. */
export interface LoadedTable {
  /** The file read (or "-" for standard input). */
  path: string;
  /** The bundled data set's name, when --data named one, and its target column. */
  bundled: string | null;
  bundledTarget: string | null;
  table: Table;
}

/**
 * Reads --data: a bundled name, a CSV path, or "-" for standard input. `csv` says how to read it
 * (delimiter, decimal mark, missing-value tokens, which columns).
 */
export function loadTable(data: string, csv: CsvOptions = {}): LoadedTable {
  if (data === '') throw new CliError('--data needs a file, a bundled data set name (see logreg datasets) or - for standard input');
  if (data === '-') {
    return { path: '-', bundled: null, bundledTarget: null, table: readCsvSource(bytesSource('standard input', readStdin()), csv) };
  }
  const resolved = resolveDataArg(data);
  try {
    if (statSync(resolved.path).size >= WARM_UP_BYTES) warmUp();
  } catch {
    // A missing file is reported by the reader, with its message.
  }
  return {
    path: resolved.path,
    bundled: resolved.bundled ?? null,
    bundledTarget: resolved.target ?? null,
    table: readCsvSource(fileSource(resolved.path), csv),
  };
}

/** Whether --data names Parquet data: a .parquet file, or a glob of them (read by DuckDB). */
export function isParquetPath(data: string): boolean {
  return /\.parquet$/i.test(data);
}

/**
 * loadTable, plus the sources read through DuckDB (src/data/duckdb.ts): a Parquet file or glob as
 * --data, or the rows of --sql "SELECT …" (then `data` is undefined). Only `select` and
 * `categorical` of the CSV options apply to those.
 */
export async function loadTableAsync(data: string | undefined, csv: CsvOptions = {}, sql?: string): Promise<LoadedTable> {
  const duck = { ...(csv.select ? { select: csv.select } : {}), ...(csv.categorical ? { categorical: csv.categorical } : {}) };
  if (sql !== undefined) {
    return { path: 'the --sql query', bundled: null, bundledTarget: null, table: await readDuckTable({ kind: 'sql', sql }, duck) };
  }
  if (data !== undefined && isParquetPath(data)) {
    warmUp();
    return { path: data, bundled: null, bundledTarget: null, table: await readDuckTable({ kind: 'parquet', path: data }, duck) };
  }
  return loadTable(data ?? '', csv);
}
