import type { Label } from '../util/labels.js';

/**
 * Checks at the edge of every metric: lengths, finite numbers, 0/1 labels, weights, probability
 * rows. Each throws a sentence naming the function, the argument, the index and the value:
 * TypeError for the wrong kind of value, RangeError for a wrong size or range.
 */

/**
 * A short description of a value for error messages (the same wording as the backend's, kept
 * here so the metrics load without Node-only modules).
 */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  return `a value of type ${typeof v === 'object' ? (v.constructor?.name ?? 'object') : typeof v}`;
}

/** A probability row must sum to 1 within this tolerance (as logLoss requires). */
export const PROBABILITY_ROW_TOLERANCE = 1e-6;

function checkArrayLike(a: unknown, fn: string, name: string): asserts a is ArrayLike<unknown> {
  if (a === null || typeof a !== 'object' || typeof (a as { length?: unknown }).length !== 'number') {
    throw new TypeError(`${fn}: ${name} must be an array, got ${describe(a)}`);
  }
}

/** Checks that yTrue is n values in {0, 1} (n ≥ 1) and returns n. */
export function checkBinaryLabels(yTrue: ArrayLike<number>, fn: string, name = 'yTrue'): number {
  checkArrayLike(yTrue, fn, name);
  if (yTrue.length === 0) throw new RangeError(`${fn}: ${name} is empty`);
  for (let i = 0; i < yTrue.length; i++) {
    const v: unknown = yTrue[i];
    if (typeof v !== 'number') throw new TypeError(`${fn}: ${name}[${i}] must be the number 0 or 1, got ${describe(v)}`);
    if (v !== 0 && v !== 1) throw new RangeError(`${fn}: ${name}[${i}] must be 0 or 1, got ${describe(v)}`);
  }
  return yTrue.length;
}

/** Checks that `values` holds n finite numbers (in [0, 1] when `probability`). */
export function checkScores(values: ArrayLike<number>, n: number, fn: string, name: string, probability: boolean): void {
  checkArrayLike(values, fn, name);
  if (values.length !== n) throw new RangeError(`${fn}: ${name} has ${values.length} values but yTrue has ${n}`);
  for (let i = 0; i < n; i++) {
    const v: unknown = values[i];
    if (typeof v !== 'number') throw new TypeError(`${fn}: ${name}[${i}] must be a number, got ${describe(v)}`);
    if (!Number.isFinite(v)) throw new RangeError(`${fn}: ${name}[${i}] must be finite, got ${v}`);
    if (probability && (v < 0 || v > 1)) throw new RangeError(`${fn}: ${name}[${i}] is ${v}, outside [0, 1]`);
  }
}

/**
 * Checks optional sample weights: n finite numbers ≥ 0 with a positive sum. Returns them as a
 * Float64Array, or null when absent (every weight 1).
 */
export function checkWeights(w: ArrayLike<number> | null | undefined, n: number, fn: string): Float64Array | null {
  if (w === null || w === undefined) return null;
  checkArrayLike(w, fn, 'sampleWeight');
  if (w.length !== n) throw new RangeError(`${fn}: sampleWeight has ${w.length} values but yTrue has ${n}`);
  const out = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const v: unknown = w[i];
    if (typeof v !== 'number') throw new TypeError(`${fn}: sampleWeight[${i}] must be a number, got ${describe(v)}`);
    if (!Number.isFinite(v) || v < 0) throw new RangeError(`${fn}: sampleWeight[${i}] must be a finite number ≥ 0, got ${v}`);
    out[i] = v;
    total += v;
  }
  if (!(total > 0)) throw new RangeError(`${fn}: sampleWeight sums to ${total}; at least one weight must be positive`);
  return out;
}

/** Checks that labels are numbers (not NaN) or strings, and that a and b have the same length n ≥ 1. */
export function checkLabelPair(a: ArrayLike<Label>, b: ArrayLike<Label>, fn: string, names: readonly [string, string]): number {
  checkArrayLike(a, fn, names[0]);
  checkArrayLike(b, fn, names[1]);
  if (a.length !== b.length) throw new RangeError(`${fn}: ${names[0]} has ${a.length} labels but ${names[1]} has ${b.length}`);
  if (a.length === 0) throw new RangeError(`${fn}: ${names[0]} is empty`);
  checkLabels(a, fn, names[0]);
  checkLabels(b, fn, names[1]);
  return a.length;
}

/** Checks that every label is a string or a number other than NaN. */
export function checkLabels(a: ArrayLike<Label>, fn: string, name: string): void {
  for (let i = 0; i < a.length; i++) {
    const v: unknown = a[i];
    if (typeof v === 'string') continue;
    if (typeof v !== 'number') throw new TypeError(`${fn}: ${name}[${i}] must be a number or a string label, got ${describe(v)}`);
    if (Number.isNaN(v)) throw new RangeError(`${fn}: ${name}[${i}] is NaN, which is not a label`);
  }
}

/** Checks a class list: at least `min` distinct labels. */
export function checkClasses(classes: readonly Label[], fn: string, min: number): void {
  checkArrayLike(classes, fn, 'classes');
  checkLabels(classes, fn, 'classes');
  if (new Set(classes).size !== classes.length) throw new RangeError(`${fn}: classes has a repeated label`);
  if (classes.length < min) throw new RangeError(`${fn}: classes has ${classes.length} labels; at least ${min} are needed`);
}

/**
 * Class probabilities for n rows and K classes: either row-major n×K numbers (a Float64Array, as
 * models return them, or any flat array) or n rows of K numbers. Columns follow the class order.
 */
export type ProbabilityMatrix = ArrayLike<number> | ReadonlyArray<ArrayLike<number>>;

/**
 * Checks a probability matrix (every entry in [0, 1], every row summing to 1 within
 * PROBABILITY_ROW_TOLERANCE) and returns it as a row-major n×K Float64Array (a copy).
 */
export function checkProbabilityMatrix(P: ProbabilityMatrix, n: number, K: number, fn: string): Float64Array {
  checkArrayLike(P, fn, 'probabilities');
  const out = new Float64Array(n * K);
  const nested = P.length > 0 && typeof P[0] === 'object' && P[0] !== null;
  if (nested) {
    const rows = P as ReadonlyArray<ArrayLike<number>>;
    if (rows.length !== n) throw new RangeError(`${fn}: probabilities has ${rows.length} rows but yTrue has ${n}`);
    for (let i = 0; i < n; i++) {
      const row = rows[i]!;
      checkArrayLike(row, fn, `probabilities[${i}]`);
      if (row.length !== K) throw new RangeError(`${fn}: probabilities[${i}] has ${row.length} columns but there are ${K} classes`);
      for (let k = 0; k < K; k++) out[i * K + k] = row[k] as number;
    }
  } else {
    if (P.length !== n * K) {
      throw new RangeError(`${fn}: probabilities has ${P.length} values but ${n} rows × ${K} classes need ${n * K}`);
    }
    for (let t = 0; t < n * K; t++) out[t] = (P as ArrayLike<number>)[t] as number;
  }
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let k = 0; k < K; k++) {
      const v: unknown = nested ? (P as ReadonlyArray<ArrayLike<number>>)[i]![k] : (P as ArrayLike<number>)[i * K + k];
      if (typeof v !== 'number') throw new TypeError(`${fn}: probability of row ${i}, class ${k} must be a number, got ${describe(v)}`);
      if (!(v >= 0 && v <= 1)) throw new RangeError(`${fn}: probability of row ${i}, class ${k} is ${v}, outside [0, 1]`);
      sum += v;
    }
    if (Math.abs(sum - 1) > PROBABILITY_ROW_TOLERANCE) throw new RangeError(`${fn}: probabilities of row ${i} sum to ${sum}, not 1`);
  }
  return out;
}
