import { isMlMatrix } from '../backend/dense.js';
import { isTable } from '../data/records.js';
import type { Table } from '../data/table.js';
import type { DataLike } from '../model/inputs.js';
import type { FitFunctionOptions } from '../model/fit.js';
import type { ModelJSON } from '../model/serialize.js';
import type { IterationInfo } from '../optim/types.js';
import type { Label } from '../util/labels.js';
import { scope } from './browserGlobals.js';

/**
 * The messages between fitAsync (the page) and its fit worker (fitServer.ts), and the arguments of
 * fit made fit to post: structured clone copies plain data, arrays and typed arrays, but not
 * functions (onIteration becomes progress messages; a Table's `locate` is dropped), class instances
 * (an ml-matrix Matrix becomes nested arrays), nor, outside a cross-origin-isolated page, views of
 * shared memory (kernel memory, where readCsvSource puts its columns), which are copied.
 */

/** A fit for the worker to run: fit(X, y, options) and the compiled kernels. */
export interface FitRequest {
  id: number;
  module: WebAssembly.Module;
  X: unknown;
  /** A table posted without its `locate` (see tableOf). */
  table: boolean;
  /** The labels, or null (a table names its label column in the options). */
  y: unknown;
  options: FitFunctionOptions | undefined;
  /** Whether the caller wants onIteration called (progress messages). */
  progress: boolean;
}

/** What the worker posts back: progress, the fitted model, or the error (name and one-line message). */
export type FitReply =
  | { id: number; iteration: IterationInfo }
  | { id: number; model: ModelJSON }
  | { id: number; error: { name: string; message: string } };

function isShared(buffer: ArrayBufferLike): boolean {
  return Object.prototype.toString.call(buffer) === '[object SharedArrayBuffer]';
}

/** A typed array that can be posted: itself, or a private copy when it views shared memory that cannot be shared. */
function postable<T>(v: T): T {
  if (ArrayBuffer.isView(v) && isShared(v.buffer) && scope.crossOriginIsolated !== true) {
    return (v as unknown as { slice(): T }).slice();
  }
  return v;
}

/** Arrays, typed arrays and plain objects with their shared-memory views made postable (one level into records). */
function postableData(x: unknown): unknown {
  if (ArrayBuffer.isView(x)) return postable(x);
  if (Array.isArray(x)) return x.length > 0 && ArrayBuffer.isView(x[0]) ? x.map(postable) : x;
  if (typeof x === 'object' && x !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) out[k] = ArrayBuffer.isView(v) ? postable(v) : v;
    return out;
  }
  return x;
}

/** fit's data argument as postable data, and whether it was a Table. */
export function postableX(X: DataLike): { X: unknown; table: boolean } {
  if (isMlMatrix(X)) return { X: Array.from({ length: X.rows }, (_, i) => X.getRow(i)), table: false };
  if (isTable(X)) {
    const columns = X.columns.map((c) => postableData(c));
    return { X: { source: X.source, n: X.n, names: X.names, warnings: X.warnings, columns }, table: true };
  }
  return { X: postableData(X), table: false };
}

/**
 * A table posted by postableX, whole again. Its rows are located by index only (messages say
 * "row i" rather than the line of the file it was read from).
 */
export function tableOf(x: unknown): Table {
  const t = x as Omit<Table, 'locate'>;
  return { ...t, locate: (row: number) => ({ record: row }) };
}

/** fit's labels, postable (any ArrayLike as an array). */
export function postableLabels(y: ArrayLike<Label> | null): unknown {
  if (y === null || ArrayBuffer.isView(y) || Array.isArray(y)) return postable(y);
  return Array.from(y);
}

/** fit's options, postable: onIteration removed (reported as `progress`), sampleWeight as an array. */
export function postableOptions(options: FitFunctionOptions | undefined): { options: FitFunctionOptions | undefined; progress: boolean } {
  if (options === undefined || options === null || typeof options !== 'object') return { options, progress: false };
  const { onIteration, ...rest } = options;
  const out: FitFunctionOptions = { ...rest };
  if (rest.sampleWeight !== undefined && rest.sampleWeight !== null) {
    out.sampleWeight = ArrayBuffer.isView(rest.sampleWeight) || Array.isArray(rest.sampleWeight) ? postable(rest.sampleWeight) : Array.from(rest.sampleWeight);
  }
  return { options: out, progress: typeof onIteration === 'function' };
}

/** An error from the worker as an Error of the same name (RangeError and TypeError as themselves). */
export function errorFrom(e: { name: string; message: string }): Error {
  const err = e.name === 'RangeError' ? new RangeError(e.message) : e.name === 'TypeError' ? new TypeError(e.message) : new Error(e.message);
  if (err.name !== e.name) Object.defineProperty(err, 'name', { value: e.name, configurable: true, writable: true });
  return err;
}
