import { DataError } from './errors.js';

export { compareUtf8 } from '../util/text.js';

/**
 * A table of typed columns, as data sources (CSV files, arrays of records, column objects) deliver
 * it to the model-matrix layer (src/design/). A column is numeric when every value that is not
 * missing is a number, else categorical. Nothing here knows of models.
 */

/** A numeric column: one float64 per row, NaN where the value is missing. */
export interface NumericColumn {
  readonly kind: 'numeric';
  readonly name: string;
  readonly values: Float64Array;
  /** Rows whose value is missing (NaN). */
  readonly missing: number;
}

/**
 * A categorical column: one level index per row into `levels` (−1 where missing). Levels are
 * sorted by the bytes of their UTF-8 text (R's and patsy's order in the C locale), so level 0 is
 * the reference of treatment coding.
 */
export interface CategoricalColumn {
  readonly kind: 'categorical';
  readonly name: string;
  readonly codes: Int32Array;
  readonly levels: readonly string[];
  /** Rows of each level (when the source counted them; a level of a subset may have none). */
  readonly counts?: Int32Array;
  readonly missing: number;
}

export type Column = NumericColumn | CategoricalColumn;

/** A table: n rows of named, typed columns. */
export interface Table {
  /** Where the rows came from (a file path, or a description such as "the records passed to fit"), for messages. */
  readonly source: string;
  readonly n: number;
  /** The columns read, in the source's order. */
  readonly columns: readonly Column[];
  /** Every column name of the source, including the ones not read. */
  readonly names: readonly string[];
  /**
   * Where row i (0-based) is in the source, for messages: a file line (1-based, the header is
   * line 1) or a record index. May read the source again: meant for the error path only.
   */
  locate(row: number): { line?: number; record?: number };
  /** Things the reader noticed that users should know (one line each). */
  readonly warnings: readonly string[];
}

/** The column `name` of a table, or a DataError naming the source and listing its columns. */
export function columnOf(table: Table, name: string, role = 'column'): Column {
  const c = table.columns.find((col) => col.name === name);
  if (c !== undefined) return c;
  throw new DataError(table.source, `has no ${role} ${JSON.stringify(name)} (columns: ${listNames(table.names)})`);
}

/** At most eight names, then an ellipsis: for messages. */
export function listNames(names: readonly string[]): string {
  return names.length > 8 ? `${names.slice(0, 8).join(', ')}, …` : names.join(', ');
}

/**
 * The rows `idx` of a table (all of it when idx is null): every column copied to the subset,
 * levels kept (a level may then be absent from the rows).
 */
export function takeTableRows(table: Table, idx: Uint32Array | null): Table {
  if (idx === null) return table;
  const columns: Column[] = table.columns.map((c) => {
    if (c.kind === 'numeric') {
      // Plain loops: Float64Array.from with a mapping function calls it per value (ten times slower).
      const values = new Float64Array(idx.length);
      for (let r = 0; r < idx.length; r++) values[r] = c.values[idx[r]!]!;
      let missing = 0;
      for (let r = 0; r < values.length; r++) if (Number.isNaN(values[r]!)) missing++;
      return { kind: 'numeric', name: c.name, values, missing };
    }
    const codes = new Int32Array(idx.length);
    for (let r = 0; r < idx.length; r++) codes[r] = c.codes[idx[r]!]!;
    let missing = 0;
    for (let r = 0; r < codes.length; r++) if (codes[r]! < 0) missing++;
    return { kind: 'categorical', name: c.name, codes, levels: c.levels, missing };
  });
  return {
    source: table.source,
    n: idx.length,
    columns,
    names: table.names,
    warnings: table.warnings,
    locate: (row) => table.locate(idx[row]!),
  };
}
