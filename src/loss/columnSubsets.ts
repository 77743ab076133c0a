import { Arena } from '../backend/arena.js';
import { type ModelMatrix, blockShapes, modelMatrixBytes, takeModelColumns } from '../backend/modelMatrix.js';

/**
 * Copies of a working set of dense columns of a model matrix, for passes that read only those
 * columns (LinearModelObjective.partialValueAndGradient). An L1 fit moves only the coefficients of
 * its working set (the non-zero ones and the strong-rule candidates; optim/proxNewton.ts), and f
 * and those coefficients' gradient depend on the other columns not at all while their coefficients
 * are 0; a pass over a row-major copy of the working set's columns costs what those columns do,
 * where a pass over X streams every column from memory. Early on a lasso path, where a few of
 * the columns are in use, that is most of the cost.
 *
 * One copy is kept at a time, in an arena of its own, and shared by the objectives of a
 * regularization path (one objective per step): the working set grows along the path, so a copy
 * serves several steps. A copy is made again when the columns asked for are not all in it, or are
 * fewer than half of it.
 */
export class ColumnSubsets {
  private arena: Arena | null = null;
  private base = 0;
  private source: ModelMatrix | null = null;
  private copy: { keep: Int32Array; matrix: ModelMatrix } | null = null;
  /** Whether something (an objective over the copy) holds memory above the copy in its arena. */
  private inUse = false;
  /** Copies made so far. */
  built = 0;

  /**
   * The current copy if it is of M and holds every column of `want` (increasing dense column
   * indices of M) without being more than twice as wide, else null.
   */
  current(M: ModelMatrix, want: Int32Array): { keep: Int32Array; matrix: ModelMatrix } | null {
    const c = this.copy;
    if (c === null || this.source !== M || c.keep.length > 2 * Math.max(want.length, 4)) return null;
    let h = 0;
    for (let t = 0; t < want.length; t++) {
      while (h < c.keep.length && c.keep[h]! < want[t]!) h++;
      if (h === c.keep.length || c.keep[h] !== want[t]) return null;
    }
    return c;
  }

  /**
   * A new copy of the columns `keep` of M (replacing the current one). The objective over the old
   * copy must have been released (`vacate`) before.
   */
  make(M: ModelMatrix, keep: Int32Array): { keep: Int32Array; matrix: ModelMatrix } {
    if (this.inUse) throw new Error('a column subset was rebuilt while an objective over it was live');
    const bytes = modelMatrixBytes(M.rows, keep.length, blockShapes(M));
    if (this.arena === null) {
      this.arena = new Arena(bytes + M.rows * 16);
      this.base = this.arena.mark();
    }
    this.arena.release(this.base);
    this.copy = null;
    const matrix = takeModelColumns(M, keep, this.arena);
    this.source = M;
    this.copy = { keep, matrix };
    this.built++;
    return this.copy;
  }

  /** Marks the copy as having an objective above it (until `vacate`). */
  occupy(): void {
    this.inUse = true;
  }

  /** The objective over the copy has been released. */
  vacate(): void {
    this.inUse = false;
  }
}
