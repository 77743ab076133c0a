import { chunkCount, defaultThreads, runChunks } from './pool.js';
import type { Arena } from './arena.js';

/**
 * Multiply-adds per pass (rows × features × logits) from which a pass is split over threads when
 * threads is 'auto'. Such a pass takes about 25 µs on one thread; below it a whole fit is over in
 * a few milliseconds, less than starting the worker threads costs (tens of milliseconds of a core).
 * Above it threads pay: digits (1797 × 64, 10 classes, 1.2M a pass) fits in 40-47 ms on two
 * threads against 62-78 ms on one.
 */
export const PARALLEL_WORK = 250_000;

/** The thread count for a pass of `work` multiply-adds: 'auto' uses every core (up to 8) for large passes. */
export function resolveThreads(threads: number | 'auto', work: number): number {
  if (threads !== 'auto') return Math.max(1, Math.floor(threads));
  return work >= PARALLEL_WORK ? defaultThreads() : 1;
}

/**
 * The chunk areas of the passes over one n-row matrix in an arena: each of the chunkCount(n)
 * chunks gets `partLength` float64s of partial sums followed by `scratchLength` of scratch. `run`
 * calls a chunked kernel (see pool.ts) and returns the sum of the chunks' results; `sum` adds the
 * chunks' partial sums. Both add in chunk order, whatever the thread count.
 */
export class RowPasses {
  readonly chunks: number;
  private readonly parts: number;
  private readonly partBytes: number;
  private readonly views: Float64Array[];

  constructor(
    private readonly arena: Arena,
    private readonly rows: number,
    partLength: number,
    scratchLength: number,
    private readonly threads: number,
  ) {
    this.chunks = chunkCount(rows);
    this.partBytes = Math.ceil(((partLength + scratchLength) * 8) / 64) * 64;
    this.parts = arena.alloc(this.chunks * this.partBytes, false); // every pass clears what it sums into
    this.views = Array.from({ length: this.chunks }, (_, c) => arena.f64(this.parts + c * this.partBytes, partLength));
  }

  /** Runs fn(r0, r1, part, ...args) over every chunk; returns Σ of the results, in chunk order. */
  run(fn: string, args: readonly number[]): number {
    const results = runChunks(this.arena, { fn, rows: this.rows, parts: this.parts, partBytes: this.partBytes, args }, this.threads);
    let total = 0;
    for (let c = 0; c < results.length; c++) total += results[c]!;
    return total;
  }

  /**
   * out[to + j] = Σ_c part_c[from + j] for j < count, in chunk order ((0 + part₀) + part₁ + …). Long
   * sums (a Hessian's q² entries) are added by the kernel module, two lanes at a time in the same
   * order, into chunk 0's area, then copied out.
   */
  sum(out: Float64Array, from: number, count: number, to = 0): void {
    if (count >= 4096 && this.chunks > 1) {
      this.arena.fn('accumulateParts')(this.parts + from * 8, this.partBytes, this.chunks, count);
      out.set(this.views[0]!.subarray(from, from + count), to);
      return;
    }
    out.fill(0, to, to + count);
    for (const part of this.views) for (let j = 0; j < count; j++) out[to + j] += part[from + j]!;
  }

  /** Chunk c's partial sum at index j. */
  partial(c: number, j: number): number {
    return this.views[c]![j]!;
  }

  /** Chunk 0's partial sums (for a pass run on one chunk area alone, such as a mini-batch). */
  get first(): { ptr: number; view: Float64Array } {
    return { ptr: this.parts, view: this.views[0]! };
  }
}
