import { basename } from 'node:path';

/**
 * The one error for bad data files: its message is a single line naming the file and, where known,
 * the line (1-based, the header is line 1) and the column, e.g.
 * `iris.csv: line 7, column "petal_width": "abc" is not a number`.
 */
export class DataError extends Error {
  override readonly name = 'DataError';
  readonly file: string;
  readonly line: number | null;
  readonly column: string | null;

  constructor(file: string, problem: string, where: { line?: number; column?: string } = {}) {
    const parts = [basename(file) === file ? file : file];
    if (where.line !== undefined) parts.push(`line ${where.line}`);
    if (where.column !== undefined) parts.push(`column ${JSON.stringify(where.column)}`);
    const place = parts.length === 1 ? parts[0] : `${parts[0]}: ${parts.slice(1).join(', ')}`;
    super(`${place}: ${problem}`);
    this.file = file;
    this.line = where.line ?? null;
    this.column = where.column ?? null;
  }
}
