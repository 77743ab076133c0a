/**
 * An ml-matrix `Matrix`, by the members read here: typed by its shape so that the package's types
 * do not need ml-matrix (an optional package; instances are recognized by their `klass` tag).
 */
export interface MlMatrixLike {
  readonly rows: number;
  readonly columns: number;
  getRow(index: number): number[];
}
type Matrix = MlMatrixLike;
import { arenaFloat64, arenaOf } from './arena.js';

/**
 * Dense, row-major, float64 storage of an n×d data matrix: element (i, j) is `data[i * cols + j]`.
 * This is the layout every kernel sweeps; an ml-matrix `Matrix` is accepted at the edge (`toDense`
 * copies it), because its per-element access is far slower (docs/architecture.md). `data`
 * may be any Float64Array; the kernels read it in place when it lives in kernel memory (arena.ts),
 * which is where `toDense` puts its copies.
 */
export interface DenseMatrix {
  readonly data: Float64Array;
  readonly rows: number;
  readonly cols: number;
}

/** What the public API accepts as a data matrix: nested arrays, an ml-matrix `Matrix`, or dense storage. */
export type MatrixLike = ReadonlyArray<ArrayLike<number>> | Matrix | DenseMatrix;

/** Wraps an existing row-major buffer (no copy). Throws RangeError when the sizes disagree. */
export function dense(data: Float64Array, rows: number, cols: number): DenseMatrix {
  if (data.length !== rows * cols) {
    throw new RangeError(`a ${rows}×${cols} matrix needs ${rows * cols} values, got ${data.length}`);
  }
  return { data, rows, cols };
}

/** Whether x is a DenseMatrix (storage, rows and cols), as opposed to nested arrays or an ml-matrix Matrix. */
export function isDense(x: unknown): x is DenseMatrix {
  if (typeof x !== 'object' || x === null || !('data' in x) || !('rows' in x)) return false;
  const data = (x as { data: unknown }).data;
  if (ArrayBuffer.isView(data) && !(data instanceof Float64Array)) {
    throw new TypeError(`a DenseMatrix needs its values in a Float64Array, got ${data.constructor.name}`);
  }
  return data instanceof Float64Array && typeof (x as DenseMatrix).rows === 'number' && typeof (x as DenseMatrix).cols === 'number';
}

/**
 * Copies any `MatrixLike` into fresh dense row-major storage in kernel memory (the caller owns the
 * copy and may standardize it in place). Rows of unequal length are a RangeError naming the row;
 * `name` is the argument name used in messages.
 */
export function toDense(x: MatrixLike, name = 'X'): DenseMatrix {
  if (isDense(x)) {
    const data = arenaFloat64(x.data.length);
    data.set(x.data);
    return { data, rows: x.rows, cols: x.cols };
  }
  if (isMlMatrix(x)) {
    const m = x;
    const rows = m.rows;
    const cols = m.columns;
    const data = arenaFloat64(rows * cols);
    for (let i = 0; i < rows; i++) {
      const row = m.getRow(i);
      for (let j = 0; j < cols; j++) data[i * cols + j] = row[j] as number;
    }
    return { data, rows, cols };
  }
  if (!Array.isArray(x)) {
    throw new TypeError(`${name} must be an array of rows, an ml-matrix Matrix or a DenseMatrix, got ${describe(x)}`);
  }
  const rows = x.length;
  const first = x[0];
  const cols = rows > 0 && first !== undefined && typeof first.length === 'number' ? first.length : 0;
  const data = arenaFloat64(rows * cols);
  for (let i = 0; i < rows; i++) {
    const row = x[i] as ArrayLike<number> | undefined;
    if (row === null || typeof row !== 'object' || typeof row.length !== 'number') {
      throw new TypeError(`${name}[${i}] must be an array of numbers, got ${describe(row)}`);
    }
    if (row.length !== cols) {
      throw new RangeError(`${name}[${i}] has ${row.length} values but ${name}[0] has ${cols}; every row needs the same number of features`);
    }
    const off = i * cols;
    for (let j = 0; j < cols; j++) {
      const v = row[j];
      if (typeof v !== 'number') throw new TypeError(`${name}[${i}][${j}] must be a number, got ${describe(v)}`);
      data[off + j] = v;
    }
  }
  return { data, rows, cols };
}

/** Number of rows of any MatrixLike, without copying it (0 for something that is not one; toDense says why). */
export function rowCount(x: MatrixLike): number {
  if (isMlMatrix(x)) return x.rows;
  if (isDense(x)) return x.rows;
  return Array.isArray(x) ? x.length : 0;
}

/**
 * Whether x is an ml-matrix `Matrix`, by the test ml-matrix itself uses (`Matrix.isMatrix`: the
 * `klass` tag), without loading ml-matrix.
 */
export function isMlMatrix(x: unknown): x is Matrix {
  return typeof x === 'object' && x !== null && (x as { klass?: unknown }).klass === 'Matrix';
}

/**
 * Index of the first value of `data` that is not a finite number, or −1: a SIMD scan when the
 * array lives in kernel memory (about ten times faster than a JavaScript loop over it).
 */
export function firstNonFinite(data: Float64Array): number {
  const arena = arenaOf(data);
  if (arena !== null) return arena.fn('firstNonFinite')(data.byteOffset, data.length);
  for (let t = 0; t < data.length; t++) if (!Number.isFinite(data[t]!)) return t;
  return -1;
}

/** A short description of a value's kind, for error messages. */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  return `a value of type ${typeof v === 'object' ? (v.constructor?.name ?? 'object') : typeof v}`;
}
