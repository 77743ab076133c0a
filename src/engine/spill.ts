import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineError } from '../data/engineError.js';

/**
 * The coded rows of a streamed fit on local disk: the model matrix's parts (src/backend/modelMatrix.ts),
 * each in a file of its own, in row order, exactly as they lie in kernel memory:
 *
 *     dense.f64     n × d float64, row-major (the numeric columns)
 *     codes<k>.i32  n int32 per indexed block k (its column, −1 none)
 *     values<k>.f64 n float64 per indexed block with values
 *     y.i32         n int32 class indices
 *     s.f64         n float64 sample weights (absent when every weight is 1)
 *
 * Rows [a, b) of every part are one contiguous byte range, so a batch of any boundaries is one read
 * per part, straight into kernel memory. The files live in a fresh folder of the system's temporary
 * directory ($TMPDIR) and are removed when the fit ends, however it ends (exit included).
 */

/** The shape of a spilled model matrix. */
export interface SpillShape {
  /** Dense columns d. */
  denseCols: number;
  /** Per indexed block: its width and whether it has values. */
  blocks: ReadonlyArray<{ width: number; hasValues: boolean }>;
  /** Whether per-row weights are stored (else every weight is 1). */
  weights: boolean;
}

/** One part of the spill: its file, its element size, and elements per row. */
export interface SpillPart {
  name: string;
  path: string;
  fd: number;
  /** Bytes per row of this part. */
  rowBytes: number;
}

const live = new Set<Spill>();
let exitHook = false;

function removeAll(): void {
  for (const s of live) s.remove();
}

/** A spill being written (append) or read (any row range). */
export class Spill {
  readonly dir: string;
  readonly parts: SpillPart[];
  /** Rows written so far. */
  rows = 0;

  constructor(readonly shape: SpillShape) {
    try {
      this.dir = mkdtempSync(join(tmpdir(), 'logreg-stream-'));
    } catch (e) {
      throw new EngineError(`a streamed fit could not make its folder in ${tmpdir()} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); set TMPDIR`);
    }
    const specs: Array<[string, number]> = [['dense.f64', 8 * shape.denseCols]];
    shape.blocks.forEach((b, k) => {
      specs.push([`codes${k}.i32`, 4]);
      if (b.hasValues) specs.push([`values${k}.f64`, 8]);
    });
    specs.push(['y.i32', 4]);
    if (shape.weights) specs.push(['s.f64', 8]);
    this.parts = specs.map(([name, rowBytes]) => {
      const path = join(this.dir, name);
      return { name, path, fd: openSync(path, 'w+'), rowBytes };
    });
    live.add(this);
    if (!exitHook) {
      exitHook = true;
      process.on('exit', removeAll);
      // A fit stopped by Ctrl-C or a kill removes its files too, then ends as the signal would.
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        process.once(signal, () => {
          removeAll();
          process.kill(process.pid, signal);
        });
      }
    }
  }

  /** Bytes per row over every part. */
  get rowBytes(): number {
    return this.parts.reduce((s, p) => s + p.rowBytes, 0);
  }

  /** Appends `rows` rows: one byte view per part, in `parts` order, each rows × rowBytes long. */
  append(rows: number, views: readonly ArrayBufferView[]): void {
    views.forEach((v, k) => {
      const part = this.parts[k]!;
      const bytes = rows * part.rowBytes;
      if (v.byteLength !== bytes) throw new Error(`spill part ${part.name}: ${v.byteLength} bytes for ${rows} rows`);
      const u8 = new Uint8Array(v.buffer, v.byteOffset, bytes);
      let done = 0;
      try {
        while (done < bytes) done += writeSync(part.fd, u8, done, bytes - done, this.rows * part.rowBytes + done);
      } catch (e) {
        throw new EngineError(`writing the coded rows to ${this.dir} failed (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); a streamed fit needs about ${this.rowBytes} bytes a row there: free space or point TMPDIR elsewhere`);
      }
    });
    this.rows += rows;
  }

  /** Reads rows [from, from + count) of part k into `into` (a byte view of exactly that size). */
  read(k: number, from: number, count: number, into: Uint8Array): void {
    const part = this.parts[k]!;
    const bytes = count * part.rowBytes;
    let done = 0;
    while (done < bytes) {
      const got = readSync(part.fd, into, done, bytes - done, from * part.rowBytes + done);
      if (got === 0) throw new Error(`spill part ${part.name} ends before row ${from + count}`);
      done += got;
    }
  }

  /** Writes rows [from, from + count) of part k from `data` (rewriting, e.g. standardized values). */
  write(k: number, from: number, count: number, data: Uint8Array): void {
    const part = this.parts[k]!;
    const bytes = count * part.rowBytes;
    let done = 0;
    while (done < bytes) done += writeSync(part.fd, data, done, bytes - done, from * part.rowBytes + done);
  }

  /** Closes and deletes the files (idempotent). */
  remove(): void {
    if (!live.has(this)) return;
    live.delete(this);
    for (const p of this.parts) {
      try {
        closeSync(p.fd);
      } catch {
        // already closed
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
