import { type Arena, Arena as ArenaClass, arenaOf, placeMatrix } from './arena.js';
import type { DenseMatrix } from './dense.js';

/**
 * The n×p model matrix of a fit, the one interface every pass over the data reads (the manner of
 * glum's tabmat): a dense block of numeric columns (row-major, `denseCols` wide) followed by
 * indexed blocks. An indexed block of width w stands for w columns of which each row has at most
 * one non-zero, column codes[i] with value values[i] (1 when values is null), none when
 * codes[i] < 0: a categorical column in treatment coding, an interaction of categorical columns
 * (one code per level combination), a categorical column times a numeric one. A 300-level column
 * is one int32 a row rather than 300 float64s; the kernels gather one coefficient per row and block
 * going forward and scatter one residual going back (src/backend/wasm/indexed.ts).
 *
 * Column order: the dense columns 0 … denseCols − 1, then each block's columns in turn. Every array
 * lives in one arena of kernel memory, so that the worker threads read them in place.
 */
export interface IndexedBlock {
  readonly codes: Int32Array;
  readonly values: Float64Array | null;
  readonly width: number;
}

export interface ModelMatrix {
  readonly rows: number;
  /** rows × denseCols, row-major. */
  readonly dense: Float64Array;
  readonly denseCols: number;
  readonly blocks: readonly IndexedBlock[];
  /** p = denseCols + Σ block widths. */
  readonly cols: number;
}

/** Whether x is a ModelMatrix (as opposed to a DenseMatrix or nested arrays). */
export function isModelMatrix(x: unknown): x is ModelMatrix {
  return typeof x === 'object' && x !== null && (x as ModelMatrix).dense instanceof Float64Array && Array.isArray((x as ModelMatrix).blocks);
}

/** A model matrix of dense columns only, over X's storage: in place when X lives in kernel memory, else copied there. */
export function denseModelMatrix(X: DenseMatrix, extraBytes = 0): ModelMatrix {
  const { arena, ptr } = placeMatrix(X.data, extraBytes);
  return { rows: X.rows, dense: arena.f64(ptr, X.data.length), denseCols: X.cols, blocks: [], cols: X.cols };
}

/** What `allocModelMatrix` makes room for: per indexed block, its width and whether it has values. */
export interface BlockShape {
  width: number;
  hasValues: boolean;
}

/**
 * A zeroed model matrix of `rows` rows in a new arena (dense block, then every block's codes and
 * values), with room for `extraBytes` more (the objective's buffers), for a builder to fill in.
 */
export function allocModelMatrix(rows: number, denseCols: number, shapes: readonly BlockShape[], extraBytes = 0, into: Arena | null = null): ModelMatrix {
  // A fresh arena's memory is zero; one given (`into`, at its allocation point) is not cleared: the
  // caller writes every value.
  const arena = into ?? new ArenaClass(modelMatrixBytes(rows, denseCols, shapes) + extraBytes);
  const zeroed = into === null;
  const dense = arena.f64(arena.alloc(rows * denseCols * 8, zeroed), rows * denseCols);
  const blocks = shapes.map((b) => ({
    codes: arena.i32(arena.alloc(rows * 4, zeroed), rows),
    values: b.hasValues ? arena.f64(arena.alloc(rows * 8, zeroed), rows) : null,
    width: b.width,
  }));
  return { rows, dense, denseCols, blocks, cols: denseCols + shapes.reduce((s, b) => s + b.width, 0) };
}

/** Kernel memory a model matrix of these dimensions takes (dense block, then every block's codes and values). */
export function modelMatrixBytes(rows: number, denseCols: number, shapes: readonly BlockShape[]): number {
  return rows * denseCols * 8 + shapes.reduce((s, b) => s + rows * (b.hasValues ? 12 : 4) + 128, 0);
}

/** The shapes of a model matrix's indexed blocks. */
export function blockShapes(M: ModelMatrix): BlockShape[] {
  return M.blocks.map((b) => ({ width: b.width, hasValues: b.values !== null }));
}

/** The arena a model matrix lives in (all its arrays must share it). */
export function matrixArena(M: ModelMatrix): Arena {
  const arena = arenaOf(M.dense);
  if (arena === null) throw new Error('the model matrix does not live in kernel memory');
  for (const b of M.blocks) {
    if (arenaOf(b.codes) !== arena || (b.values !== null && arenaOf(b.values) !== arena)) {
      throw new Error('the blocks of a model matrix must live in the arena of its dense block');
    }
  }
  return arena;
}

/**
 * Writes the kernels' description of M into its arena (the int32 table of
 * src/backend/wasm/indexed.ts) and returns its byte offset.
 */
export function describeMatrix(M: ModelMatrix): number {
  const arena = matrixArena(M);
  const words = 4 + 4 * M.blocks.length;
  const ptr = arena.alloc(words * 4);
  const w = arena.i32(ptr, words);
  w[0] = M.dense.byteOffset;
  w[1] = M.denseCols;
  w[2] = M.cols;
  w[3] = M.blocks.length;
  let offset = M.denseCols;
  M.blocks.forEach((b, k) => {
    w[4 + 4 * k] = b.codes.byteOffset;
    w[5 + 4 * k] = b.values === null ? 0 : b.values.byteOffset;
    w[6 + 4 * k] = b.width;
    w[7 + 4 * k] = offset;
    offset += b.width;
  });
  return ptr;
}

/**
 * Row i of M as a dense vector of its p columns (for tests and small problems: the separation
 * test, inference on small data); `out` has length p.
 */
export function matrixRow(M: ModelMatrix, i: number, out: Float64Array): Float64Array {
  out.fill(0);
  const d = M.denseCols;
  out.set(M.dense.subarray(i * d, (i + 1) * d));
  let offset = d;
  for (const b of M.blocks) {
    const c = b.codes[i]!;
    if (c >= 0) out[offset + c] = b.values === null ? 1 : b.values[i]!;
    offset += b.width;
  }
  return out;
}

/**
 * The rows `rows` of M (in that order) as a new model matrix in an arena of its own, with room for
 * `extraBytes` more, or at the allocation point of `into` (memory used before, which saves the
 * first touch of fresh pages: a third of the copy's time); dense values, block codes and values
 * copied row by row.
 */
export function takeModelRows(M: ModelMatrix, rows: Uint32Array, extraBytes = 0, into: Arena | null = null): ModelMatrix {
  const m = rows.length;
  const d = M.denseCols;
  const out = allocModelMatrix(m, d, blockShapes(M), extraBytes, into);
  for (let t = 0; t < m; t++) {
    const i = rows[t]!;
    out.dense.set(M.dense.subarray(i * d, (i + 1) * d), t * d);
  }
  M.blocks.forEach((b, k) => {
    const o = out.blocks[k]!;
    for (let t = 0; t < m; t++) o.codes[t] = b.codes[rows[t]!]!;
    if (b.values !== null) for (let t = 0; t < m; t++) o.values![t] = b.values[rows[t]!]!;
  });
  return out;
}

/** Bytes of the block a column copy is gathered into at a time (it stays in cache). */
const GATHER_BYTES = 1 << 20;

/**
 * The dense columns `keep` (increasing, below denseCols) of M and all of its indexed blocks, as a
 * model matrix allocated at the top of `arena` (rows and block columns as in M; the dense block
 * rows × keep.length). What passes restricted to a few columns read (loss/columnSubsets.ts): their
 * cost is that of the columns kept.
 */
export function takeModelColumns(M: ModelMatrix, keep: Int32Array, arena: Arena): ModelMatrix {
  const n = M.rows;
  const d = M.denseCols;
  const m = keep.length;
  for (let t = 0; t < m; t++) {
    if (!(keep[t]! >= 0 && keep[t]! < d) || (t > 0 && keep[t]! <= keep[t - 1]!)) throw new RangeError(`takeModelColumns: columns must increase within [0, ${d}), got ${keep[t]} at ${t}`);
  }
  const dense = arena.f64(arena.alloc(n * m * 8, false), n * m);
  // Gathered by a kernel in M's arena, a block of rows at a time, and copied across: a JavaScript
  // loop over the values takes four times as long.
  const home = matrixArena(M);
  const mark = home.mark();
  try {
    const block = Math.max(1, Math.min(n, Math.floor(GATHER_BYTES / (8 * Math.max(m, 1)))));
    const keepP = home.alloc(4 * Math.max(m, 1), false);
    home.i32(keepP, m).set(keep);
    const outP = home.alloc(8 * block * Math.max(m, 1), false);
    const gather = home.fn('gatherColumns');
    for (let r0 = 0; r0 < n; r0 += block) {
      const r1 = Math.min(n, r0 + block);
      gather(M.dense.byteOffset, d, r0, r1, keepP, m, outP);
      dense.set(home.f64(outP, (r1 - r0) * m), r0 * m);
    }
  } finally {
    home.release(mark);
  }
  const blocks = M.blocks.map((b) => {
    const codes = arena.i32(arena.alloc(n * 4, false), n);
    codes.set(b.codes);
    let values: Float64Array | null = null;
    if (b.values !== null) {
      values = arena.f64(arena.alloc(n * 8, false), n);
      values.set(b.values);
    }
    return { codes, values, width: b.width };
  });
  return { rows: n, dense, denseCols: m, blocks, cols: m + (M.cols - d) };
}
