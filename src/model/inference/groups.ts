import { describe } from '../../backend/dense.js';
import { DataError } from '../../data/errors.js';
import { type Table, columnOf } from '../../data/table.js';
import type { Label } from '../../util/labels.js';

/**
 * Cluster ids for cluster-robust covariances, as dense indices 0 … G − 1 (in order of first
 * appearance) for the rows a model matrix holds. Ids are numbers or strings compared as given (1
 * and "1" are different clusters); a missing id is an error naming its row.
 */

/**
 * From one id per data row (`ids`), for the data rows `rows` (all when null) in the model matrix.
 * `what` names the ids in messages.
 */
export function clusterIndex(ids: ArrayLike<Label>, rows: Uint32Array | null, dataRows: number, what: string): Int32Array {
  if (ids.length !== dataRows) {
    throw new RangeError(`${what} has ${ids.length} cluster ids, but the data have ${dataRows} rows (give one id per row)`);
  }
  const n = rows === null ? dataRows : rows.length;
  const seen = new Map<Label, number>();
  const out = new Int32Array(n);
  for (let t = 0; t < n; t++) {
    const i = rows === null ? t : rows[t]!;
    const id = ids[i];
    if ((typeof id !== 'string' && typeof id !== 'number') || Number.isNaN(id)) {
      throw new TypeError(`${what}[${i}] must be a cluster id (a number or a string), got ${describe(id)}`);
    }
    let g = seen.get(id);
    if (g === undefined) {
      g = seen.size;
      seen.set(id, g);
    }
    out[t] = g;
  }
  return out;
}

/** From a column of a table, for its rows `rows` (all when null); a missing value is a DataError naming line and column. */
export function columnClusterIndex(table: Table, name: string, rows: Uint32Array | null): Int32Array {
  const c = columnOf(table, name, 'cluster column');
  const n = rows === null ? table.n : rows.length;
  const out = new Int32Array(n);
  const seen = new Map<number, number>();
  for (let t = 0; t < n; t++) {
    const i = rows === null ? t : rows[t]!;
    const v = c.kind === 'numeric' ? c.values[i]! : c.codes[i]!;
    if (c.kind === 'numeric' ? Number.isNaN(v) : v < 0) {
      throw new DataError(table.source, 'the cluster id is missing; every row in the fit needs one', { ...table.locate(i), column: name });
    }
    let g = seen.get(v);
    if (g === undefined) {
      g = seen.size;
      seen.set(v, g);
    }
    out[t] = g;
  }
  return out;
}
