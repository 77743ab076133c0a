import { createRequire } from 'node:module';
import type * as DuckApi from '@duckdb/node-api';
import type * as DuckBindings from '@duckdb/node-bindings';
import { importOptional } from '../util/lazy.js';
import { EngineError } from './engineError.js';
import { DataError } from './errors.js';
import { type Column, type Table, compareUtf8, listNames } from './table.js';

/**
 * Tables read through DuckDB (`@duckdb/node-api`, an optional peer dependency loaded on first use):
 * a Parquet file or a glob of them, or the rows of any SELECT DuckDB runs (its own tables, CSV,
 * JSON, `read_parquet('s3://…')`, …).
 *
 * Reading is columnar: DuckDB casts every numeric column to DOUBLE and codes every other column as
 * an ENUM of its sorted distinct values, so that a result chunk (2048 rows) arrives as one float64
 * or int32 vector per column; each vector is copied into the table's typed arrays as a block, with
 * no JavaScript value per cell. Numeric: NULL (and NaN) become NaN, the missing value of a
 * NumericColumn. Text: the levels are the distinct values sorted by their UTF-8 bytes (the order of
 * util/text.ts compareUtf8, which is also DuckDB's binary collation), NULL is code −1.
 */

/** What DuckDB reads: a Parquet file or glob, or a query. */
export type DuckSource = { kind: 'parquet'; path: string } | { kind: 'sql'; sql: string };

/** The name of a source in messages: the path, or "the --sql query". */
export function duckSourceName(src: DuckSource): string {
  return src.kind === 'parquet' ? src.path : 'the --sql query';
}

type DuckModule = typeof DuckApi;
type BindingsModule = typeof DuckBindings;

let loaded: { api: DuckModule; bindings: BindingsModule } | null = null;

/**
 * The DuckDB client, imported on first use: an optional peer dependency (a core-only install does
 * not carry its 60 MB binary), whose absence is a one-line MissingPackageError naming it.
 */
export async function loadDuckDB(): Promise<{ api: DuckModule; bindings: BindingsModule }> {
  if (loaded !== null) return loaded;
  const api = await importOptional('@duckdb/node-api', 'reading Parquet files and SQL sources', () => import('@duckdb/node-api'));
  // The low-level bindings (typed vector access) are node-api's own dependency, resolved from it.
  const req = createRequire(createRequire(import.meta.url).resolve('@duckdb/node-api'));
  const bindings = req('@duckdb/node-bindings') as BindingsModule;
  loaded = { api, bindings };
  return loaded;
}

/** A double-quoted SQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A single-quoted SQL string literal. */
export function quoteText(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** The FROM item of a source: `read_parquet('…')`, or the query as a subquery. */
export function duckRelation(src: DuckSource): string {
  if (src.kind === 'parquet') return `read_parquet(${quoteText(src.path)})`;
  return `(${src.sql.trim().replace(/;+\s*$/, '')}) AS logreg_source`;
}

/** DuckDB types read as numbers (cast to DOUBLE); every other type is read as text. */
const NUMERIC_TYPES = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL(\(\d+,\s*\d+\))?|BOOLEAN)$/;

/** How one column is read: its name, kind, the SELECT expression, and a categorical column's levels. */
export interface DuckColumnPlan {
  name: string;
  kind: 'numeric' | 'categorical';
  /** The SQL expression: DOUBLE for numeric columns, the INTEGER level code (NULL when missing) for categorical ones. */
  expr: string;
  /** Sorted levels (categorical), else null. */
  levels: string[] | null;
}

/** The first line of an engine's error message, with DuckDB's "Binder Error: " kept (it says what kind). */
function firstLine(e: unknown): string {
  return String((e as Error).message ?? e).split('\n')[0]!.trim();
}

let enumCounter = 0;

/**
 * A connection to an in-process DuckDB database (in memory unless a file is named), with the
 * column plans and chunk readers of this module.
 */
export class DuckSession {
  private constructor(
    private readonly instance: DuckApi.DuckDBInstance,
    readonly connection: DuckApi.DuckDBConnection,
    private readonly bindings: BindingsModule,
  ) {}

  /** Opens DuckDB on `database` (':memory:' by default; a .duckdb file otherwise, read-only). */
  static async open(database = ':memory:'): Promise<DuckSession> {
    const { api, bindings } = await loadDuckDB();
    let instance: DuckApi.DuckDBInstance;
    try {
      instance = await api.DuckDBInstance.create(database, database === ':memory:' ? {} : { access_mode: 'READ_ONLY' });
    } catch (e) {
      throw new EngineError(`DuckDB could not open ${database}: ${firstLine(e)}`);
    }
    return new DuckSession(instance, await instance.connect(), bindings);
  }

  /** Runs a statement whose result is small, returning its rows as arrays of JS values. */
  async rows(sql: string, what: string): Promise<unknown[][]> {
    try {
      const reader = await this.connection.runAndReadAll(sql);
      return reader.getRowsJS() as unknown[][];
    } catch (e) {
      throw new EngineError(`${what}: ${firstLine(e)}`);
    }
  }

  /** The column names and DuckDB types of a source (no row is read). */
  async schema(src: DuckSource): Promise<Array<{ name: string; type: string }>> {
    const rows = await this.rows(`DESCRIBE SELECT * FROM ${duckRelation(src)}`, duckSourceName(src));
    return rows.map((r) => ({ name: String(r[0]), type: String(r[1]) }));
  }

  /**
   * How to read columns `names` of a source: numeric types as DOUBLE, others (and `categorical`
   * ones whatever their type) as level codes of an ENUM of their sorted distinct values (one
   * DISTINCT query per such column).
   */
  async plan(src: DuckSource, names: readonly string[], schema: ReadonlyArray<{ name: string; type: string }>, categorical: readonly string[] = []): Promise<DuckColumnPlan[]> {
    const rel = duckRelation(src);
    const out: DuckColumnPlan[] = [];
    for (const name of names) {
      const col = schema.find((c) => c.name === name);
      if (col === undefined) throw new DataError(duckSourceName(src), `has no column ${JSON.stringify(name)} (columns: ${listNames(schema.map((c) => c.name))})`);
      const q = quoteIdent(name);
      if (NUMERIC_TYPES.test(col.type) && !categorical.includes(name)) {
        out.push({ name, kind: 'numeric', expr: `CAST(${q} AS DOUBLE)`, levels: null });
        continue;
      }
      const text = `CAST(${q} AS VARCHAR)`;
      const rows = await this.rows(`SELECT DISTINCT ${text} FROM ${rel} WHERE ${q} IS NOT NULL`, duckSourceName(src));
      const levels = rows.map((r) => String(r[0])).sort(compareUtf8);
      const type = `logreg_levels_${++enumCounter}`;
      if (levels.length > 0) {
        await this.rows(`CREATE TYPE ${type} AS ENUM (${levels.map(quoteText).join(', ')})`, duckSourceName(src));
        out.push({ name, kind: 'categorical', expr: `CAST(enum_code(CAST(${text} AS ${type})) AS INTEGER)`, levels });
      } else {
        out.push({ name, kind: 'categorical', expr: 'CAST(NULL AS INTEGER)', levels });
      }
    }
    return out;
  }

  /**
   * Streams `SELECT <plans' expressions> FROM source` and hands every result chunk to `onChunk` as
   * typed column data: per column a Float64Array (numeric: NaN for NULL) or Int32Array (codes: −1
   * for NULL), valid until onChunk returns. Rows arrive in the source's order (DuckDB preserves
   * insertion order for scans).
   */
  async scan(src: DuckSource, plans: readonly DuckColumnPlan[], onChunk: (cols: Array<Float64Array | Int32Array>, rows: number) => void | Promise<void>): Promise<void> {
    const sql = `SELECT ${plans.map((p) => p.expr).join(', ') || '0'} FROM ${duckRelation(src)}`;
    let result: DuckApi.DuckDBResult;
    try {
      result = await this.connection.stream(sql);
    } catch (e) {
      throw new EngineError(`${duckSourceName(src)}: ${firstLine(e)}`);
    }
    const b = this.bindings;
    // One array per column, refilled chunk by chunk (a result chunk has at most 2048 rows).
    const scratch = plans.map((p) => (p.kind === 'numeric' ? new Float64Array(4096) : new Int32Array(4096)));
    for (;;) {
      let chunk: DuckApi.DuckDBDataChunk | null;
      try {
        chunk = await result.fetchChunk();
      } catch (e) {
        throw new EngineError(`${duckSourceName(src)}: ${firstLine(e)}`);
      }
      if (chunk === null) break;
      const m = chunk.rowCount;
      if (m === 0) break;
      const cols = plans.map((p, j) => {
        const v = b.data_chunk_get_vector(chunk!.chunk, j);
        const valid = b.vector_get_validity(v, Math.ceil(m / 64) * 8);
        if (p.kind === 'numeric') {
          const data = b.vector_get_data(v, m * 8);
          const out = (scratch[j] as Float64Array).length >= m ? (scratch[j] as Float64Array).subarray(0, m) : new Float64Array(m);
          out.set(new Float64Array(data.buffer, data.byteOffset, m));
          if (valid) for (let i = 0; i < m; i++) if (((valid[i >> 3]! >> (i & 7)) & 1) === 0) out[i] = NaN;
          return out;
        }
        const data = b.vector_get_data(v, m * 4);
        const out = (scratch[j] as Int32Array).length >= m ? (scratch[j] as Int32Array).subarray(0, m) : new Int32Array(m);
        out.set(new Int32Array(data.buffer, data.byteOffset, m));
        if (valid) for (let i = 0; i < m; i++) if (((valid[i >> 3]! >> (i & 7)) & 1) === 0) out[i] = -1;
        return out;
      });
      await onChunk(cols, m);
    }
  }

  /** Closes the connection and the database. */
  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/** Options of readDuckTable: which columns, and which to read as categorical whatever their type. */
export interface DuckReadOptions {
  /** Given every column name of the source, the names to read (default all). */
  select?: (names: readonly string[]) => readonly string[];
  /** Columns read as categorical even when numeric (a model's categorical columns, for prediction). */
  categorical?: readonly string[];
}

/** A table of columns built chunk by chunk: typed arrays that double as they fill. */
class ColumnBuilder {
  private values: Float64Array | Int32Array;
  length = 0;
  constructor(readonly plan: DuckColumnPlan) {
    this.values = plan.kind === 'numeric' ? new Float64Array(1 << 16) : new Int32Array(1 << 16);
  }

  append(chunk: Float64Array | Int32Array): void {
    if (this.length + chunk.length > this.values.length) {
      const bigger = this.plan.kind === 'numeric' ? new Float64Array(2 * (this.length + chunk.length)) : new Int32Array(2 * (this.length + chunk.length));
      bigger.set(this.values.subarray(0, this.length));
      this.values = bigger;
    }
    this.values.set(chunk, this.length);
    this.length += chunk.length;
  }

  column(): Column {
    return columnOf(this.plan, this.values.slice(0, this.length));
  }
}

/** A Table column from a plan and its rows' values (numeric) or codes (categorical), with missing counts and level counts. */
export function columnOf(plan: DuckColumnPlan, data: Float64Array | Int32Array): Column {
  if (plan.kind === 'numeric') {
    const values = data as Float64Array;
    let missing = 0;
    for (let i = 0; i < values.length; i++) if (values[i] !== values[i]) missing++;
    return { kind: 'numeric', name: plan.name, values, missing };
  }
  const codes = data as Int32Array;
  const counts = new Int32Array(plan.levels!.length);
  let missing = 0;
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    if (c < 0) missing++;
    else counts[c]! += 1;
  }
  return { kind: 'categorical', name: plan.name, codes, levels: plan.levels!, counts, missing };
}

/** A Table over columns read from a DuckDB source (rows located by their 0-based index). */
export function duckTable(src: DuckSource, n: number, names: readonly string[], columns: Column[], offset = 0): Table {
  return { source: duckSourceName(src), n, columns, names: [...names], warnings: [], locate: (row) => ({ record: offset + row }) };
}

/**
 * Reads a DuckDB source into a Table: the columns `select` picks (default all), numeric columns as
 * float64, the others as level codes. One DISTINCT query per text column, then one scan.
 */
export async function readDuckTable(src: DuckSource, options: DuckReadOptions = {}, session?: DuckSession): Promise<Table> {
  const s = session ?? (await DuckSession.open());
  try {
    const schema = await s.schema(src);
    const names = schema.map((c) => c.name);
    let wanted: readonly string[] = names;
    if (options.select !== undefined) {
      try {
        wanted = options.select(names);
      } catch (e) {
        // A choice of columns that does not fit this source (an unknown target, a formula naming a
        // column it lacks): the message names the source, as the CSV reader's does.
        if (e instanceof RangeError) throw new DataError(duckSourceName(src), e.message);
        throw e;
      }
    }
    // In the source's order, as a CSV file's columns are read.
    const plans = await s.plan(src, names.filter((n) => wanted.includes(n)), schema, options.categorical ?? []);
    const builders = plans.map((p) => new ColumnBuilder(p));
    let n = 0;
    await s.scan(src, plans, (cols, rows) => {
      cols.forEach((c, j) => builders[j]!.append(c));
      n += rows;
    });
    return duckTable(src, n, names, builders.map((b) => b.column()));
  } finally {
    if (session === undefined) s.close();
  }
}
