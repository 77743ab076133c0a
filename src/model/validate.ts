import { type DenseMatrix, type MatrixLike, describe, firstNonFinite, isDense, toDense } from '../backend/dense.js';
import { arenaOf } from '../backend/arena.js';
import type { Label } from '../util/labels.js';

/**
 * Input checks at the API edge: everything is refused before any work is done, with a message that
 * names the argument and the offending value.
 */

/**
 * Checks that X is a non-empty matrix of finite numbers, as dense storage in kernel memory: a copy
 * (the caller owns it) when `copy` is true or X is not already there, else X itself.
 */
export function checkX(X: MatrixLike, name = 'X', copy = true): DenseMatrix {
  if (X === null || X === undefined) throw new TypeError(`${name} must be a matrix, got ${describe(X)}`);
  if (isDense(X)) {
    // Dense storage is read as it is: its shape must describe exactly the values it has.
    const { rows, cols, data } = X;
    if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
      throw new RangeError(`${name}.rows and ${name}.cols must be non-negative integers, got ${rows} and ${cols}`);
    }
    if (data.length !== rows * cols) {
      throw new RangeError(`${name} is ${rows}×${cols}, which needs ${rows * cols} values, but ${name}.data has ${data.length}`);
    }
  }
  const m = !copy && isDense(X) && arenaOf(X.data) !== null ? X : toDense(X, name);
  if (m.rows === 0) throw new RangeError(`${name} has no rows`);
  if (m.cols === 0) throw new RangeError(`${name} has no columns (features)`);
  const t = firstNonFinite(m.data);
  if (t >= 0) {
    const i = Math.floor(t / m.cols);
    throw new RangeError(`${name}[${i}][${t - i * m.cols}] is ${m.data[t]}; every feature value must be a finite number`);
  }
  return m;
}

/** Checks labels: one per row, each a finite number or a string. */
export function checkY(y: ArrayLike<Label>, n: number, name = 'y'): Label[] {
  if (y === null || y === undefined || typeof y !== 'object' || typeof y.length !== 'number') {
    throw new TypeError(`${name} must be an array of labels, got ${describe(y)}`);
  }
  if (y.length !== n) throw new RangeError(`${name} has ${y.length} labels but X has ${n} rows`);
  const out: Label[] = new Array<Label>(n);
  for (let i = 0; i < n; i++) {
    const v = y[i];
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new RangeError(`${name}[${i}] is ${v}; a label must be a finite number or a string`);
    } else if (typeof v !== 'string') {
      throw new TypeError(`${name}[${i}] must be a number or a string, got ${describe(v)}`);
    }
    out[i] = v;
  }
  return out;
}

/** Checks sample weights: one per row, finite, ≥ 0, not all zero. Returns a copy. */
export function checkSampleWeight(w: ArrayLike<number> | null | undefined, n: number): Float64Array | null {
  if (w === null || w === undefined) return null;
  if (typeof w !== 'object' || typeof w.length !== 'number') {
    throw new TypeError(`sampleWeight must be an array of numbers, got ${describe(w)}`);
  }
  if (w.length !== n) throw new RangeError(`sampleWeight has ${w.length} entries but X has ${n} rows`);
  const out = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = w[i];
    if (typeof v !== 'number') throw new TypeError(`sampleWeight[${i}] must be a number, got ${describe(v)}`);
    if (!Number.isFinite(v) || v < 0) throw new RangeError(`sampleWeight[${i}] is ${v}; sample weights must be finite and ≥ 0`);
    out[i] = v;
    sum += v;
  }
  if (!(sum > 0)) throw new RangeError('sampleWeight is zero for every row; at least one row needs a positive weight');
  return out;
}
