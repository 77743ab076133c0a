import { type DuckColumnPlan, type DuckSession, type DuckSource, columnOf, duckSourceName, duckTable } from '../data/duckdb.js';
import type { Column, Table } from '../data/table.js';

/**
 * Row sources for streamed fits: what a pass reads, batch by batch, in the source's row order.
 *
 * Every batch is a Table of the same columns with the same level lists (a categorical column's
 * levels are the source's, sorted, whatever rows the batch holds), so that the batches of a source
 * code alike. A batch's `locate` gives source rows (0-based records, or the table's own lines).
 */
export interface BatchSource {
  /** The source's name in messages (a path, "the --sql query", the table's source). */
  readonly name: string;
  /** Every column name of the source. */
  readonly names: readonly string[];
  /** The columns batches carry: name, kind, levels (categorical). */
  readonly schema: ReadonlyArray<{ name: string; kind: 'numeric' | 'categorical'; levels: readonly string[] | null }>;
  /**
   * Calls `each` on consecutive batches of at most `rows` rows (the last may be shorter), in row
   * order, awaiting it before the next; `offset` is the batch's first row in the source.
   */
  batches(rows: number, each: (batch: Table, offset: number) => void | Promise<void>): Promise<void>;
}

/** The rows [from, from + count) of a column, as views of it (no copy). */
function sliceColumn(c: Column, from: number, count: number): Column {
  if (c.kind === 'numeric') {
    const values = c.values.subarray(from, from + count);
    let missing = 0;
    if (c.missing > 0) for (let i = 0; i < values.length; i++) if (values[i] !== values[i]) missing++;
    return { kind: 'numeric', name: c.name, values, missing };
  }
  const codes = c.codes.subarray(from, from + count);
  let missing = 0;
  if (c.missing > 0) for (let i = 0; i < codes.length; i++) if (codes[i]! < 0) missing++;
  return { kind: 'categorical', name: c.name, codes, levels: c.levels, missing };
}

/**
 * A table in memory as a batch source (a CSV file read whole, a bundled set): batches are views of
 * its columns. Streaming it bounds the kernel memory of the fit, not the table's own.
 */
export function tableSource(table: Table): BatchSource {
  return {
    name: table.source,
    names: table.names,
    schema: table.columns.map((c) => ({ name: c.name, kind: c.kind, levels: c.kind === 'categorical' ? c.levels : null })),
    async batches(rows, each) {
      const step = Math.max(1, Math.floor(rows));
      for (let from = 0; from < table.n || from === 0; from += step) {
        const count = Math.min(step, table.n - from);
        if (count <= 0) break;
        const batch: Table = {
          source: table.source, n: count, names: table.names, warnings: [],
          columns: table.columns.map((c) => sliceColumn(c, from, count)),
          locate: (row) => table.locate(from + row),
        };
        await each(batch, from);
      }
    },
  };
}

/**
 * A DuckDB source as a batch source: one streamed scan per pass over the data, its 2048-row chunks
 * gathered into batches (one copy of each value, into the batch's typed arrays).
 */
export function duckBatchSource(session: DuckSession, src: DuckSource, names: readonly string[], plans: readonly DuckColumnPlan[]): BatchSource {
  return {
    name: duckSourceName(src),
    names,
    schema: plans.map((p) => ({ name: p.name, kind: p.kind, levels: p.levels })),
    async batches(rows, each) {
      const step = Math.max(1, Math.floor(rows));
      // One set of batch arrays, refilled: `each` is done with a batch when it returns.
      const buf = plans.map((p) => (p.kind === 'numeric' ? new Float64Array(step) : new Int32Array(step)));
      let fill = 0;
      let offset = 0;
      const flush = async () => {
        const cols = plans.map((p, j) => columnOf(p, buf[j]!.subarray(0, fill)));
        await each(duckTable(src, fill, names, cols, offset), offset);
        offset += fill;
        fill = 0;
      };
      await session.scan(src, plans, async (cols, m) => {
        let at = 0;
        while (at < m) {
          const take = Math.min(m - at, step - fill);
          cols.forEach((c, j) => buf[j]!.set(c.subarray(at, at + take), fill));
          fill += take;
          at += take;
          if (fill === step) await flush();
        }
      });
      if (fill > 0 || offset === 0) await flush();
    },
  };
}
