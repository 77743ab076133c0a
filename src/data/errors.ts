/**
 * The one error for bad data: its message is a single line naming the source (a file, or the
 * records passed to the API) and, where known, the line (1-based, the header is line 1) or the
 * record (0-based), and the column, e.g.
 * `iris.csv: line 7, column "petal_width": "abc" is not a number`.
 */
export class DataError extends Error {
  override readonly name = 'DataError';
  readonly file: string;
  readonly line: number | null;
  readonly column: string | null;

  constructor(file: string, problem: string, where: { line?: number; record?: number; column?: string } = {}) {
    const parts: string[] = [];
    if (where.line !== undefined) parts.push(`line ${where.line}`);
    else if (where.record !== undefined) parts.push(`row ${where.record}`);
    if (where.column !== undefined) parts.push(`column ${JSON.stringify(where.column.length > 80 ? `${where.column.slice(0, 80)}…` : where.column)}`);
    super(`${file}${parts.length > 0 ? `: ${parts.join(', ')}` : ''}: ${problem.replace(/\s*\n\s*/g, ' ')}`);
    this.file = file;
    this.line = where.line ?? null;
    this.column = where.column ?? null;
  }
}
