import { kernelModule } from '../backend/arena.js';
import { isDense, toDense } from '../backend/dense.js';
import { defaultThreads } from '../backend/pool.js';
import { platform } from '../platform/current.js';
import type { ModuleWorker } from '../platform/types.js';
import type { BaseDesign, FoldPath, FoldResult, FoldSetup } from './foldFit.js';

/**
 * The folds of a cross-validation as tasks shared by this thread and worker threads.
 *
 * For every path (one per elastic-net mixing value) the caller posts the job (begin), fits the
 * path on all rows itself while the workers start on the folds, then takes folds too (finish).
 * Each thread claims the next fold from a shared counter (Atomics.add), so a worker that starts
 * late, or a fold that takes longer, delays no one. A worker posts each fold's scores on its
 * channel and bumps a shared word; this thread sleeps in Atomics.wait on that word until every
 * fold it did not fit itself has arrived, and reads the scores without turning the event loop
 * (receiveMessageOnPort), so crossValidate stays synchronous.
 *
 * Every thread fits with one thread per pass (the cores are the folds'), and a fold's scores do
 * not depend on which thread fitted it: every pass adds its partial sums in an order fixed by the
 * rows. A fold that fails in a worker is fitted again here, so its error (say, a fold whose rows
 * cannot be fitted) is the one a sequential run would throw, with its type and message.
 *
 * Workers run dist/select/foldWorker.js: Node.js only (a browser page cannot wait for a worker
 * synchronously), and only the built library (run from its TypeScript sources, as under vitest,
 * every fold is fitted here). A worker the runtime kills outright (out of JavaScript heap) would
 * leave this thread waiting: folds use kernel memory for their data, whose exhaustion is an
 * ordinary error that the worker reports.
 */

/**
 * Multiply-adds per pass (rows × columns × logits) from which folds go to worker threads when the
 * thread count is 'auto'. A worker takes a few tenths of a second of a core to start (loading the
 * library and the kernels: 0.2 s for a bare `node` importing the library here); from this size on,
 * a fold's path costs far more.
 */
export const FOLD_WORKERS_WORK = 2_000_000;

/** What a worker receives with its job: the path's λ values and start, and with the first job, a table's base design. */
export interface FoldJob {
  job: number;
  path: FoldPath;
  base?: BaseDesign | null;
}

/** What a worker posts per fold. */
export type FoldReply = { job: number; fold: number; result: FoldResult } | { job: number; fold: number; error: string };

/** What a worker starts with (worker_threads' workerData, with its port). */
export interface FoldWorkerData {
  module: WebAssembly.Module;
  setup: FoldSetup;
  folds: number;
  /** Int32 words: [0] replies posted, [1 + job] the next fold of each job to claim. */
  ctl: SharedArrayBuffer;
}

/**
 * The threads a cross-validation's folds use: `threads` when a number, else every core (up to 8)
 * when the data's rows × columns × logits reach FOLD_WORKERS_WORK, as many as half the free
 * memory holds a fold's model matrix for (each thread copies its fold's rows; the table and the
 * matrix of every row are shared); at most the folds.
 */
export function foldThreads(setup: FoldSetup, classes: number, folds: number, threads: number | 'auto'): number {
  if (threads !== 'auto') return Math.max(1, Math.min(Math.floor(threads), folds));
  const { data } = setup;
  const [rows, cols] = isDense(data) ? [data.rows, data.cols] : [data.n, data.columns.length];
  if (rows * cols * (classes > 2 ? classes : 1) < FOLD_WORKERS_WORK) return 1;
  const free = platform().freeMemory();
  const byMemory = free === null ? Infinity : 1 + Math.floor((0.5 * free) / (rows * cols * 8));
  return Math.max(1, Math.min(defaultThreads(), folds, byMemory));
}

/** Folds run here and on `threads − 1` workers (none when they cannot start). */
export class FoldRunner {
  /** The threads folds run on: this one and the workers started. */
  readonly threads: number;
  /** Folds whose scores a worker fitted (the others were fitted on this thread). */
  workerFolds = 0;
  /** Int32 words: [0] replies posted, [1 + job] the next fold of each job to claim (shared once workers start). */
  private ctl: Int32Array;
  private readonly workers: ModuleWorker[] = [];
  private baseSent = false;

  /**
   * For the folds of `setup`, `jobs` paths (begin/finish pairs) to run, on `threads` threads: this
   * one and threads − 1 workers.
   */
  constructor(setup: FoldSetup, private readonly folds: number, jobs: number, threads: number) {
    // Plain memory until workers start: a page that is not cross-origin isolated has no SharedArrayBuffer.
    this.ctl = new Int32Array(1 + jobs);
    // A callback (onIteration) runs on this thread; a browser page cannot wait for a worker.
    if (threads > 1 && !setup.modelOptions.onIteration && platform().name === 'node') {
      this.ctl = new Int32Array(new SharedArrayBuffer(4 * (1 + jobs)));
      const url = new URL('./foldWorker.js', import.meta.url);
      const data: Omit<FoldWorkerData, 'setup'> & { setup: unknown } = {
        module: kernelModule(), setup: postable(setup), folds, ctl: this.ctl.buffer as SharedArrayBuffer,
      };
      for (let t = 1; t < threads; t++) {
        let w: ModuleWorker | null;
        try {
          w = platform().startModuleWorker(url, data);
        } catch {
          w = null; // something in the setup could not be sent: the folds are fitted here
        }
        if (w === null) break;
        this.workers.push(w);
      }
    }
    this.threads = 1 + this.workers.length;
  }

  /** Whether folds run on other threads too (this thread then fits with one thread per pass). */
  get parallel(): boolean {
    return this.workers.length > 0;
  }

  /**
   * Sends path number `job` to the workers, which start on its folds; with the first, the design
   * and frame of every row of a table (`base`), whose model matrix they read in place. A worker
   * that cannot be sent the job is stopped (it claims none of its folds).
   */
  begin(job: number, path: FoldPath, base: BaseDesign | null): void {
    const message: FoldJob = { job, path, ...(this.baseSent ? {} : { base }) };
    this.baseSent = true;
    for (const w of [...this.workers]) {
      try {
        w.post(message);
      } catch {
        w.terminate();
        this.workers.splice(this.workers.indexOf(w), 1);
      }
    }
  }

  /**
   * Fits the folds of job `job` that no worker has taken with `local`, then waits for the
   * workers' ones; returns every fold's result, in fold order.
   */
  finish(job: number, local: (f: number) => FoldResult): FoldResult[] {
    const F = this.folds;
    const results: Array<FoldResult | null> = new Array<FoldResult | null>(F).fill(null);
    for (let f = Atomics.add(this.ctl, 1 + job, 1); f < F; f = Atomics.add(this.ctl, 1 + job, 1)) results[f] = local(f);
    let missing = results.reduce((n, r) => n + (r === null ? 1 : 0), 0);
    while (missing > 0) {
      const seen = Atomics.load(this.ctl, 0);
      for (const w of this.workers) {
        for (let m = w.take() as FoldReply | undefined; m !== undefined; m = w.take() as FoldReply | undefined) {
          if (m.job !== job || results[m.fold] !== null) continue;
          if ('result' in m) {
            results[m.fold] = m.result;
            this.workerFolds++;
          } else results[m.fold] = local(m.fold);
          missing--;
        }
      }
      if (missing > 0) Atomics.wait(this.ctl, 0, seen);
    }
    return results as FoldResult[];
  }

  /** Stops the workers. */
  close(): void {
    for (const w of this.workers) w.terminate();
    this.workers.length = 0;
  }
}

/**
 * The setup as plain data a worker can be sent: a table without its `locate` (a worker never
 * names a line: a fold that fails there is fitted again here) and with its columns in shared
 * memory (copied once for every worker, not once per worker), a matrix as dense storage in kernel
 * memory (shared too), the model options with one thread per pass and no callback.
 */
function postable(setup: FoldSetup): unknown {
  const { data } = setup;
  let posted: unknown;
  if (isDense(data)) posted = data.data.buffer instanceof SharedArrayBuffer ? data : toDense(data, 'X');
  else {
    const columns = data.columns.map((c) => (c.kind === 'numeric' ? { ...c, values: shared(c.values) } : { ...c, codes: shared(c.codes) }));
    posted = { source: data.source, n: data.n, columns, names: data.names, warnings: data.warnings };
  }
  const { onIteration: _, ...modelOptions } = setup.modelOptions;
  return {
    ...setup, data: posted, labels: setup.labels === null ? null : Array.from(setup.labels), modelOptions: { ...modelOptions, threads: 1 },
  };
}

/** A typed array in a SharedArrayBuffer: itself when it is in one, else a copy. */
function shared<T extends Float64Array | Int32Array>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const copy = new (a.constructor as new (b: SharedArrayBuffer) => T)(new SharedArrayBuffer(a.byteLength));
  copy.set(a);
  return copy;
}
