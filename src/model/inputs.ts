import { type MatrixLike, describe, isDense, isMlMatrix } from '../backend/dense.js';
import { type ModelMatrix, denseModelMatrix } from '../backend/modelMatrix.js';
import { type TableLike, isTable, toTable } from '../data/records.js';
import type { Table } from '../data/table.js';
import { type ApplyOptions, type Design, type Frame, applyDesign } from '../design/modelFrame.js';
import { checkX } from './validate.js';

/**
 * What the models accept as data, and how it becomes a model matrix: a matrix (nested arrays, an
 * ml-matrix Matrix, a DenseMatrix) is used as it is, its columns in the model's coefficient order;
 * a table (readCsv's Table, an array of records, an object of columns) goes through the model's
 * design (src/design/modelFrame.ts), by column name.
 */
export type DataLike = MatrixLike | TableLike;

/** Whether x is a matrix rather than a table: nested arrays, an ml-matrix Matrix or a DenseMatrix. */
export function isMatrixInput(x: unknown): x is MatrixLike {
  if (isDense(x) || isMlMatrix(x)) return true;
  if (Array.isArray(x)) return x.length === 0 || Array.isArray(x[0]) || ArrayBuffer.isView(x[0]);
  return false;
}

/** Whether x is a table: a Table, an array of records, or an object of columns. */
export function isTableInput(x: unknown): x is TableLike {
  if (isTable(x)) return true;
  if (Array.isArray(x)) return x.length > 0 && typeof x[0] === 'object' && x[0] !== null && !Array.isArray(x[0]) && !ArrayBuffer.isView(x[0]);
  return typeof x === 'object' && x !== null && !isDense(x) && !isMlMatrix(x);
}

/** The identity permutation of p columns. */
export function identityOrder(p: number): Int32Array {
  return Int32Array.from({ length: p }, (_, j) => j);
}

/**
 * A checked matrix as a model matrix of dense columns in kernel memory: a copy when `copy` is true
 * (the caller will standardize it) or when X does not live there yet, else X itself.
 */
export function matrixFrame(X: MatrixLike, name: string, copy: boolean): { M: ModelMatrix; order: Int32Array } {
  if (X === null || X === undefined) throw new TypeError(`${name} must be a matrix or a table, got ${describe(X)}`);
  const D = checkX(X, name, copy);
  return { M: denseModelMatrix(D), order: identityOrder(D.cols) };
}

/** A table input as a Table (named for messages). */
export function tableOf(x: TableLike, name: string): Table {
  return toTable(x, name);
}

/** The frame of a table under a design. */
export function tableFrame(design: Design, x: TableLike, name: string, options: ApplyOptions = {}): Frame {
  return applyDesign(design, toTable(x, name), options);
}
