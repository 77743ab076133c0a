/**
 * logreg/engines: data beyond memory and beyond this process (Node.js only; DuckDB and pg are
 * optional peer dependencies, loaded when used). The README's "Large data" section describes the routes.
 *
 *   readParquet / readSql   a Parquet file (or glob) or a DuckDB query into a Table, columnar;
 *   streamFit               a fit whose rows stream through bounded kernel memory, batch by batch
 *                           (bit-identical to the in-memory fit when the batches are its chunks);
 *   pushdownFit             a fit whose every pass is one SQL query of SUM aggregates, run by
 *                           DuckDB or PostgreSQL where the data live (through a SyncEngine);
 *   scoringSql              a SELECT that scores a table's rows with a fitted model, in SQL.
 */
import { type DuckReadOptions, readDuckTable } from '../data/duckdb.js';
import type { Table } from '../data/table.js';

export { DuckSession, readDuckTable, type DuckReadOptions, type DuckSource } from '../data/duckdb.js';
export { EngineError } from '../data/engineError.js';
export { SyncEngine, type EngineTarget } from './bridge.js';
export { tableSource, duckBatchSource, type BatchSource } from './source.js';
export { streamFit, prepareStream, type StreamFitRequest, type StreamReport, type PreparedStream } from './streamFit.js';
export { pushdownFit, type PushdownRequest, type PushdownReport } from './pushdown.js';
export { scoringSql, tableRelation, queryRelation, type ScoringModel, type Dialect } from './sql.js';

/** A Parquet file, or a glob of them ('data/*.parquet', 's3://…' with DuckDB's httpfs), as a Table. */
export function readParquet(path: string, options: DuckReadOptions = {}): Promise<Table> {
  return readDuckTable({ kind: 'parquet', path }, options);
}

/** The rows of a DuckDB query as a Table. */
export function readSql(sql: string, options: DuckReadOptions = {}): Promise<Table> {
  return readDuckTable({ kind: 'sql', sql }, options);
}
