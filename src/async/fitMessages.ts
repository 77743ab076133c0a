import { Arena, arenaFloat64, arenaOf } from '../backend/arena.js';
import { type DenseMatrix, dense, isDense, isMlMatrix } from '../backend/dense.js';
import { isTable } from '../data/records.js';
import type { Table } from '../data/table.js';
import type { DataLike } from '../model/inputs.js';
import type { FitFunctionOptions } from '../model/fit.js';
import type { ModelJSON } from '../model/serialize.js';
import type { IterationInfo } from '../optim/types.js';
import type { Label } from '../util/labels.js';
import { scope } from '../platform/browserGlobals.js';

/**
 * The messages between fitAsync (the page) and its fit worker (fitServer.ts), and the arguments of
 * fit made fit to post: structured clone copies plain data, arrays and typed arrays, but not
 * functions (onIteration becomes progress messages; a Table's `locate` is dropped), class instances
 * (an ml-matrix Matrix becomes nested arrays), nor, outside a cross-origin-isolated page, views of
 * shared memory (kernel memory, where readCsvSource puts its columns), which are copied. In an
 * isolated page, large typed arrays travel as shared memory instead.
 */

/** How X was posted: as it is, as a table without `locate` (tableOf), or as a matrix in kernel memory (matrixOf). */
export type PostedKind = 'data' | 'table' | 'kernel';

/** A fit for the worker to run: fit(X, y, options) and the compiled kernels. @internal */
export interface FitRequest {
  id: number;
  module: WebAssembly.Module;
  X: unknown;
  kind: PostedKind;
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

/** Bytes from which a typed array is posted as shared memory (one copy) rather than cloned (two). */
const SHARE_BYTES = 1 << 20;

/**
 * A typed array as it is best posted: a private copy when it views shared memory that this page
 * may not share (not cross-origin isolated); a copy in shared memory when it is large and the page
 * may share (structured clone would copy it twice, into the message and out of it); else itself.
 */
function postable<T>(v: T): T {
  if (!ArrayBuffer.isView(v)) return v;
  const isolated = scope.crossOriginIsolated === true;
  if (isShared(v.buffer)) return isolated ? v : (v as unknown as { slice(): T }).slice();
  if (!isolated || v.byteLength < SHARE_BYTES || !(v instanceof Float64Array || v instanceof Int32Array)) return v;
  const copy = new (v.constructor as Float64ArrayConstructor)(new SharedArrayBuffer(v.byteLength));
  copy.set(v as unknown as Float64Array);
  return copy as unknown as T;
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

/** A matrix in kernel memory, posted: the arena's memory and allocation point, and where the values are. */
interface KernelMatrix {
  memory: WebAssembly.Memory;
  used: number;
  byteOffset: number;
  rows: number;
  cols: number;
}

/**
 * A large dense matrix in a cross-origin-isolated page as kernel memory: the arena it lives in, or
 * a new one it is copied into (the one copy fit itself would make), which the worker adopts and
 * fits in place (matrixOf).
 */
function kernelMatrix(X: DenseMatrix): KernelMatrix {
  const data = arenaOf(X.data) === null ? arenaFloat64(X.data.length) : X.data;
  if (data !== X.data) data.set(X.data);
  const arena = arenaOf(data)!;
  return { memory: arena.memory, used: arena.mark(), byteOffset: data.byteOffset, rows: X.rows, cols: X.cols };
}

/** fit's data argument as postable data, and how it was posted. */
export function postableX(X: DataLike): { X: unknown; kind: PostedKind } {
  if (isMlMatrix(X)) return { X: Array.from({ length: X.rows }, (_, i) => X.getRow(i)), kind: 'data' };
  if (isDense(X) && X.data.byteLength >= SHARE_BYTES && scope.crossOriginIsolated === true) return { X: kernelMatrix(X), kind: 'kernel' };
  if (isTable(X)) {
    const columns = X.columns.map((c) => postableData(c));
    return { X: { source: X.source, n: X.n, names: X.names, warnings: X.warnings, columns }, kind: 'table' };
  }
  return { X: postableData(X), kind: 'data' };
}

/** A matrix posted in kernel memory, as a DenseMatrix over this thread's adoption of that memory. @internal */
export function matrixOf(x: unknown): DenseMatrix {
  const m = x as KernelMatrix;
  return dense(Arena.adopt(m.memory, m.used).f64(m.byteOffset, m.rows * m.cols), m.rows, m.cols);
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
