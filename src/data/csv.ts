import { type CsvOptions, readCsvSource } from './csvReader.js';
import { fileSource } from './fileSource.js';
import type { Table } from './table.js';

/**
 * Reads a CSV file into a table of typed columns (Node.js): `readCsvSource` over the file, read a
 * window at a time. See csvReader.ts for the format and the typing rules.
 */
export function readCsv(path: string, options: CsvOptions = {}): Table {
  return readCsvSource(fileSource(path), options);
}
